package io.runlight.insights.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;

/**
 * Reads a line-oriented document one line at a time within the limits: a line longer
 * than {@link InputLimits#maxStringLength()} bytes, or not UTF-8, is rejected as
 * {@code line N} without being kept in memory; a document over
 * {@link InputLimits#maxDocumentBytes()} is refused as a whole. Blank lines are skipped.
 */
final class BoundedLines
{
    @FunctionalInterface
    interface Handler
    {
        void line(int number, String text);
    }

    private BoundedLines() {}

    static void read(InputStream in, DocumentFormat format, InputLimits limits, EventSink sink, Handler handler)
    {
        LineBuffer line = new LineBuffer();
        boolean overlong = false;
        int lineNumber = 1;
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                total += read;
                if (total > limits.maxDocumentBytes()) {
                    throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), "line " + lineNumber,
                            "the document is larger than the limit of " + limits.maxDocumentBytes() + " bytes");
                }
                int start = 0;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] != '\n') {
                        continue;
                    }
                    overlong = append(line, buffer, start, i - start, overlong, limits.maxStringLength());
                    deliver(line, overlong, lineNumber, limits, sink, handler);
                    line.reset();
                    overlong = false;
                    lineNumber++;
                    start = i + 1;
                }
                overlong = append(line, buffer, start, read - start, overlong, limits.maxStringLength());
            }
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, format.displayName(), "line " + lineNumber, "cannot read the document: " + e.getMessage(), e);
        }
        if (line.size() > 0 || overlong) {
            deliver(line, overlong, lineNumber, limits, sink, handler);
        }
    }

    // Keeps at most maxLine bytes of a line; returns whether the line is over the limit.
    private static boolean append(LineBuffer line, byte[] buffer, int offset, int length, boolean overlong, int maxLine)
    {
        if (overlong) {
            return true;
        }
        if (line.size() + length > maxLine) {
            line.reset();
            return true;
        }
        line.write(buffer, offset, length);
        return false;
    }

    private static void deliver(LineBuffer bytes, boolean overlong, int lineNumber, InputLimits limits, EventSink sink, Handler handler)
    {
        if (overlong) {
            sink.reject("line " + lineNumber, "the line is longer than " + limits.maxStringLength() + " bytes, the limit");
            return;
        }
        // the JDK's lenient decoding is fast (ASCII is copied as it is) and replaces each malformed
        // sequence with U+FFFD: a line without one was valid UTF-8, and with one (replaced, or a
        // U+FFFD of its own) the strict decoder decides
        String text = new String(bytes.bytes(), 0, bytes.size(), StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes.bytes(), 0, bytes.size()))
                        .toString();
            }
            catch (CharacterCodingException e) {
                sink.reject("line " + lineNumber, "not valid UTF-8 text");
                return;
            }
        }
        if (lineNumber == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (!text.isBlank()) {
            handler.line(lineNumber, text);
        }
    }

    /** A line's bytes, read in place rather than copied out (and not synchronised, as ByteArrayOutputStream is). */
    private static final class LineBuffer
    {
        private byte[] buf = new byte[1024];
        private int count;

        void write(byte[] bytes, int offset, int length)
        {
            if (count + length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + length));
            }
            System.arraycopy(bytes, offset, buf, count, length);
            count += length;
        }

        void reset()
        {
            count = 0;
        }

        int size()
        {
            return count;
        }

        byte[] bytes()
        {
            return buf;
        }
    }
}
