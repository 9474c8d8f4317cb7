package io.runlight.insights.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static java.util.Objects.requireNonNull;

/**
 * Streaming JSON reading with Runlight's limits, shared by every JSON reader: a parser
 * whose nesting depth, string length and document size are bounded, a tree reader for
 * one bounded element at a time, and the translation of Jackson's failures into
 * {@link InputException}s that name the format and the JSON pointer.
 */
public final class JsonInput
{
    private static final Pattern STRING_LIMIT = Pattern.compile("^String value length \\(\\d+\\) exceeds the maximum allowed \\((\\d+)");

    private final InputLimits limits;
    private final JsonFactory factory;
    private final ObjectMapper mapper;

    public JsonInput(InputLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNumberLength(1000)
                        .maxNameLength(50_000)
                        .build())
                .build();
        this.factory.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        this.mapper = new ObjectMapper(factory);
    }

    public InputLimits limits()
    {
        return limits;
    }

    /**
     * A parser over the stream; reading past {@link InputLimits#maxDocumentBytes()} fails
     * with {@link InputException.Reason#TOO_LARGE}.
     */
    public JsonParser parser(InputStream in, DocumentFormat format)
    {
        requireNonNull(in, "in is null");
        try {
            return factory.createParser(new LimitedInputStream(in, limits.maxDocumentBytes(), format));
        }
        catch (IOException e) {
            // a document smaller than Jackson's first read can already be over the byte limit
            if (e.getCause() instanceof InputException inputException) {
                throw inputException;
            }
            throw new InputException(InputException.Reason.MALFORMED, format.displayName(), "/", "cannot start reading: " + e.getMessage(), e);
        }
    }

    /** Reads with an open parser. */
    @FunctionalInterface
    public interface ParserReader<T>
    {
        T read(JsonParser parser)
                throws IOException;
    }

    /**
     * Opens a parser over the stream (see {@link #parser(InputStream, DocumentFormat)}),
     * lets {@code reader} read with it and closes it. An I/O or parse failure becomes an
     * {@link InputException} as {@link #failure} says; the reader's own InputExceptions
     * pass through unchanged.
     */
    public <T> T read(InputStream in, DocumentFormat format, ParserReader<T> reader)
    {
        JsonParser parser = null;
        try (JsonParser opened = parser(in, format)) {
            parser = opened;
            return reader.read(opened);
        }
        catch (IOException e) {
            throw failure(format, parser, e);
        }
    }

    /** A parser over one NDJSON line or other small text. */
    public JsonParser parser(String text, DocumentFormat format)
    {
        try {
            return factory.createParser(text);
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, format.displayName(), "/", "cannot start reading: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the value the parser is positioned at (its current token) as a tree. Meant
     * for one element of a large array: the element is bounded by the parser's limits.
     */
    public JsonNode readTree(JsonParser parser)
            throws IOException
    {
        JsonNode node = mapper.readTree(parser);
        return node;
    }

    /** The tree mapper for small documents and conversions. */
    public ObjectMapper mapper()
    {
        return mapper;
    }

    /** The JSON pointer of the parser's position, {@code /} at the root. */
    public static String pointer(JsonParser parser)
    {
        JsonStreamContext context = parser.getParsingContext();
        if (context == null) {
            return "/";
        }
        String pointer = context.pathAsPointer().toString();
        return pointer.isEmpty() ? "/" : pointer;
    }

    /**
     * Moves to the next token, or fails with "document ends early" when there is none.
     */
    public static JsonToken next(JsonParser parser, DocumentFormat format)
            throws IOException
    {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new InputException(InputException.Reason.MALFORMED, format.displayName(), pointer(parser), "the document ends early (truncated?)");
        }
        return token;
    }

    /**
     * Translates a Jackson or I/O failure while reading {@code format} into an
     * {@link InputException}; an {@code InputException} passes through unchanged.
     */
    public static InputException failure(DocumentFormat format, JsonParser parser, IOException e)
    {
        String location = parser == null ? "/" : pointer(parser);
        if (e instanceof StreamConstraintsException constraint) {
            return new InputException(InputException.Reason.TOO_LARGE, format.displayName(), location, overLimit(constraint), e);
        }
        if (endsEarly(e)) {
            return new InputException(InputException.Reason.MALFORMED, format.displayName(), location, "the document ends early (truncated?)", e);
        }
        if (e instanceof JsonParseException parseException) {
            String where = parseException.getLocation() == null ? "" : " (line " + parseException.getLocation().getLineNr() + ", column " + parseException.getLocation().getColumnNr() + ")";
            return new InputException(InputException.Reason.MALFORMED, format.displayName(), location, "not valid JSON" + where + ": " + firstLine(parseException.getOriginalMessage()), e);
        }
        if (e.getCause() instanceof InputException inputException) {
            return inputException;
        }
        return new InputException(InputException.Reason.MALFORMED, format.displayName(), location, "cannot read the document: " + firstLine(e.getMessage()), e);
    }

    /** What a broken read limit says: "over a limit: " and which, in words for a user rather than Jackson's API names. */
    public static String overLimit(StreamConstraintsException e)
    {
        Matcher string = STRING_LIMIT.matcher(String.valueOf(e.getOriginalMessage()));
        if (string.find()) {
            // Jackson says "String value length (…) exceeds the maximum allowed (…, from `StreamReadConstraints.getMaxStringLength()`)"
            return "over a limit: a string is longer than " + string.group(1) + " characters, the limit";
        }
        return "over a limit: " + firstLine(e.getOriginalMessage());
    }

    /**
     * Whether Jackson failed because the input ran out: a {@link JsonEOFException}, or the
     * plain parse error it throws for some truncations ("Unexpected end-of-input within/between
     * Object entries").
     */
    public static boolean endsEarly(IOException e)
    {
        if (e instanceof JsonEOFException) {
            return true;
        }
        return e instanceof JsonProcessingException processingException
                && String.valueOf(processingException.getOriginalMessage()).contains("Unexpected end-of-input");
    }

    private static String firstLine(String message)
    {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        String line = newline >= 0 ? message.substring(0, newline) : message;
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }

    /**
     * Counts bytes and fails once the document is larger than allowed. Jackson wraps
     * exceptions thrown from the stream, so the {@link InputException} travels as an
     * IOException's cause and {@link #failure} unwraps it.
     */
    private static final class LimitedInputStream
            extends FilterInputStream
    {
        private final long maxBytes;
        private final DocumentFormat format;
        private long count;

        LimitedInputStream(InputStream in, long maxBytes, DocumentFormat format)
        {
            super(in);
            this.maxBytes = maxBytes;
            this.format = format;
        }

        @Override
        public int read()
                throws IOException
        {
            int value = super.read();
            if (value >= 0) {
                count(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count(read);
            }
            return read;
        }

        private void count(long bytes)
                throws IOException
        {
            count += bytes;
            if (count > maxBytes) {
                throw new IOException("document larger than " + maxBytes + " bytes",
                        new InputException(InputException.Reason.TOO_LARGE, format.displayName(), "byte " + maxBytes, "the document is larger than the limit of " + maxBytes + " bytes"));
            }
        }
    }
}
