package io.runlight.insights.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.runlight.insights.input.InputException;

import static java.util.Objects.requireNonNull;

/**
 * Reads a tar archive (ustar, GNU and PAX, as Docker, Buildah and containerd write them) one
 * member at a time from a stream, without buffering members: a member's content is read
 * through {@link #content()} or skipped when the next member is asked for, and skipping uses
 * {@link InputStream#skip} so that a seekable source seeks rather than reads.
 *
 * <p>Every header's checksum is verified, sizes are bounded by what is left of the unpacked
 * byte budget, and long names are bounded by the path length limit, so a hostile or truncated
 * archive stops with a message naming the archive and the member.
 */
final class TarStream
{
    private static final int BLOCK = 512;

    private final InputStream in;
    private final String archiveName;
    private final CatalogLimits limits;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, String> globalPax = new HashMap<>();
    private long remainingContent;
    private long padding;
    private long unpackedBytes;
    // bytes of the archive consumed so far: where the current member's content starts, right after next()
    private long position;
    private String lastName = "";

    /**
     * @param archiveName the archive as messages name it, for example {@code layer 2 (sha256:ab12...)}
     */
    TarStream(InputStream in, String archiveName, CatalogLimits limits)
    {
        this.in = requireNonNull(in, "in is null");
        this.archiveName = requireNonNull(archiveName, "archiveName is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /** Where in the archive the next byte to read is. */
    long position()
    {
        return position;
    }

    /** The bytes of content of all members read so far (what the layer holds unpacked). */
    long unpackedBytes()
    {
        return unpackedBytes;
    }

    /** The next member, or empty at the end of the archive. */
    Optional<TarEntry> next()
    {
        try {
            skipRest();
            String longName = null;
            String longLink = null;
            // most members have no PAX record: the map is made only when one comes
            Map<String, String> pax = globalPax.isEmpty() ? null : new HashMap<>(globalPax);
            while (true) {
                if (!readBlock()) {
                    return Optional.empty();
                }
                if (isZeroBlock()) {
                    return Optional.empty();
                }
                verifyChecksum();
                char type = (char) (header[156] & 0xff);
                long size = number(124, 12, "size");
                if (size < 0) {
                    throw refused("member after '" + lastName + "' has a negative size");
                }
                if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
                    if (size > limits.maxPathLength() * 4L + 65536) {
                        throw refused("the extended header after '" + lastName + "' has " + size + " bytes, more than a header needs");
                    }
                    byte[] data = readFully(size);
                    skipPadding(size);
                    switch (type) {
                        case 'L' -> longName = cString(data, 0, data.length);
                        case 'K' -> longLink = cString(data, 0, data.length);
                        case 'x' -> {
                            if (pax == null) {
                                pax = new HashMap<>(globalPax);
                            }
                            parsePax(data, pax);
                        }
                        default -> {
                            parsePax(data, globalPax);
                            if (pax == null) {
                                pax = new HashMap<>();
                            }
                            pax.putAll(globalPax);
                        }
                    }
                    continue;
                }
                String name = longName != null ? longName : pax != null && pax.containsKey("path") ? pax.get("path") : ustarName();
                String link = longLink != null ? longLink : pax != null && pax.containsKey("linkpath") ? pax.get("linkpath") : cString(header, 157, 100);
                if (pax != null && pax.containsKey("size")) {
                    size = parsePaxSize(pax.get("size"), name);
                }
                if (name.length() > limits.maxPathLength()) {
                    throw refused("a member name has " + name.length() + " characters, more than the limit of " + limits.maxPathLength()
                            + " (it starts '" + printable(name.substring(0, 60)) + "')");
                }
                TarEntry.Kind kind = kind(type);
                long contentSize = kind == TarEntry.Kind.DIRECTORY || kind == TarEntry.Kind.SYMLINK || kind == TarEntry.Kind.HARDLINK ? 0 : size;
                if (kind == TarEntry.Kind.DIRECTORY && size > 0) {
                    // a directory with content is malformed; the content is skipped, not trusted
                    contentSize = size;
                }
                unpackedBytes += contentSize;
                if (unpackedBytes > limits.maxUnpackedBytes()) {
                    throw refused("the layers hold more than " + limits.maxUnpackedBytes() + " bytes unpacked, the limit (at '" + printable(name) + "')");
                }
                remainingContent = contentSize;
                padding = (BLOCK - contentSize % BLOCK) % BLOCK;
                lastName = name;
                int mode = (int) number(100, 8, "mode");
                return Optional.of(new TarEntry(name, kind, contentSize, mode & 07777, link));
            }
        }
        catch (EOFException e) {
            throw new InputException(InputException.Reason.MALFORMED, "tar archive", archiveName,
                    "the archive ends in the middle of a member (after '" + printable(lastName) + "'): it is truncated", e);
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, "tar archive", archiveName,
                    "cannot read the archive after '" + printable(lastName) + "': " + e.getMessage(), e);
        }
    }

    /**
     * The content of the member {@link #next()} returned last; reading it is optional. The
     * stream ends with the member and must not be used after the next call to {@code next()}.
     */
    InputStream content()
    {
        return new InputStream()
        {
            @Override
            public int read()
                    throws IOException
            {
                if (remainingContent <= 0) {
                    return -1;
                }
                int value = in.read();
                if (value < 0) {
                    throw new EOFException("the archive '" + archiveName + "' ends inside '" + lastName + "'");
                }
                remainingContent--;
                position++;
                return value;
            }

            @Override
            public int read(byte[] buffer, int offset, int length)
                    throws IOException
            {
                if (remainingContent <= 0) {
                    return -1;
                }
                int read = in.read(buffer, offset, (int) Math.min(length, remainingContent));
                if (read < 0) {
                    throw new EOFException("the archive '" + archiveName + "' ends inside '" + lastName + "'");
                }
                remainingContent -= read;
                position += read;
                return read;
            }

            @Override
            public long skip(long count)
                    throws IOException
            {
                long skipped = skipBytes(Math.min(count, remainingContent));
                remainingContent -= skipped;
                return skipped;
            }

            @Override
            public int available()
            {
                return (int) Math.min(Integer.MAX_VALUE, remainingContent);
            }
        };
    }

    private void skipRest()
            throws IOException
    {
        long toSkip = remainingContent + padding;
        remainingContent = 0;
        padding = 0;
        if (toSkip > 0) {
            skipExactly(toSkip);
        }
    }

    private void skipPadding(long size)
            throws IOException
    {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        if (pad > 0) {
            skipExactly(pad);
        }
    }

    private void skipExactly(long count)
            throws IOException
    {
        long skipped = skipBytes(count);
        if (skipped < count) {
            throw new EOFException("truncated");
        }
    }

    // InputStream.skip may skip less than asked without being at the end: read a byte to tell
    private long skipBytes(long count)
            throws IOException
    {
        long done = 0;
        while (done < count) {
            long skipped = in.skip(count - done);
            if (skipped > 0) {
                done += skipped;
                position += skipped;
                continue;
            }
            if (in.read() < 0) {
                return done;
            }
            done++;
            position++;
        }
        return done;
    }

    private boolean readBlock()
            throws IOException
    {
        int read = in.readNBytes(header, 0, BLOCK);
        position += read;
        if (read == 0) {
            // no end-of-archive blocks: tolerated, as GNU tar does
            return false;
        }
        if (read < BLOCK) {
            throw new EOFException("truncated header");
        }
        return true;
    }

    private byte[] readFully(long size)
            throws IOException
    {
        byte[] data = in.readNBytes((int) size);
        position += data.length;
        if (data.length < size) {
            throw new EOFException("truncated extended header");
        }
        return data;
    }

    private boolean isZeroBlock()
    {
        for (byte value : header) {
            if (value != 0) {
                return false;
            }
        }
        return true;
    }

    private void verifyChecksum()
    {
        long stored;
        try {
            stored = octal(148, 8);
        }
        catch (NumberFormatException e) {
            throw refused("the header after '" + printable(lastName) + "' is not a tar header (no valid checksum field)");
        }
        // the checksum field itself counts as eight spaces; int sums (at most 512 * 255) in simple loops, which the JIT vectorizes
        byte[] block = header;
        int unsigned = 8 * ' ';
        for (int i = 0; i < 148; i++) {
            unsigned += block[i] & 0xff;
        }
        for (int i = 156; i < BLOCK; i++) {
            unsigned += block[i] & 0xff;
        }
        if (stored != unsigned && stored != signedSum()) {
            throw refused("the header after '" + printable(lastName) + "' has a wrong checksum: not a tar archive, or a corrupt one");
        }
    }

    // old tar implementations summed the bytes as signed
    private long signedSum()
    {
        long signed = 8 * ' ';
        for (int i = 0; i < 148; i++) {
            signed += header[i];
        }
        for (int i = 156; i < BLOCK; i++) {
            signed += header[i];
        }
        return signed;
    }

    private String ustarName()
    {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
        // GNU tar writes "ustar  \0" and uses the prefix field for other things (atime): only POSIX ustar has a prefix
        if (ustar && header[262] == 0) {
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private long number(int offset, int length, String field)
    {
        if ((header[offset] & 0x80) != 0) {
            // base-256 (GNU/star) for values that do not fit in octal
            long value = header[offset] & 0x7f;
            for (int i = offset + 1; i < offset + length; i++) {
                if ((value >>> 55) != 0) {
                    throw refused("the " + field + " of the member after '" + printable(lastName) + "' is too large");
                }
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        try {
            return octal(offset, length);
        }
        catch (NumberFormatException e) {
            throw refused("the " + field + " field of the member after '" + printable(lastName) + "' is not an octal number");
        }
    }

    private long octal(int offset, int length)
    {
        long value = 0;
        int end = offset + length;
        int i = offset;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        boolean any = false;
        while (i < end && header[i] >= '0' && header[i] <= '7') {
            value = value * 8 + (header[i] - '0');
            if (value > Long.MAX_VALUE / 16) {
                throw new NumberFormatException("too large");
            }
            i++;
            any = true;
        }
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        if (i != end) {
            throw new NumberFormatException("not octal");
        }
        return any ? value : 0;
    }

    private long parsePaxSize(String text, String name)
    {
        try {
            long size = Long.parseLong(text);
            if (size < 0) {
                throw new NumberFormatException("negative");
            }
            return size;
        }
        catch (NumberFormatException e) {
            throw refused("the PAX size of '" + printable(name) + "' is not a size: '" + printable(text) + "'");
        }
    }

    // records "<length> <key>=<value>\n"
    private void parsePax(byte[] data, Map<String, String> into)
    {
        int position = 0;
        while (position < data.length) {
            int space = position;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, position, space - position, StandardCharsets.US_ASCII));
            }
            catch (NumberFormatException e) {
                if (data[position] == 0) {
                    return;
                }
                throw refused("a PAX header after '" + printable(lastName) + "' has a record without a length");
            }
            if (length <= space - position + 1 || position + length > data.length) {
                throw refused("a PAX header after '" + printable(lastName) + "' has a record longer than the header");
            }
            String record = new String(data, space + 1, position + length - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals > 0) {
                String key = record.substring(0, equals);
                String value = record.substring(equals + 1);
                if (key.equals("path") || key.equals("linkpath") || key.equals("size")) {
                    into.put(key, value);
                }
            }
            position += length;
        }
    }

    private static TarEntry.Kind kind(char type)
    {
        return switch (type) {
            case '0', '\0', '7' -> TarEntry.Kind.FILE;
            case '1' -> TarEntry.Kind.HARDLINK;
            case '2' -> TarEntry.Kind.SYMLINK;
            case '5' -> TarEntry.Kind.DIRECTORY;
            default -> TarEntry.Kind.OTHER;
        };
    }

    private static String cString(byte[] data, int offset, int length)
    {
        if (length == 0 || data[offset] == 0) {
            return "";
        }
        int end = offset;
        while (end < offset + length && data[end] != 0) {
            end++;
        }
        return new String(data, offset, end - offset, StandardCharsets.UTF_8);
    }

    private InputException refused(String problem)
    {
        return new InputException(InputException.Reason.MALFORMED, "tar archive", archiveName, problem);
    }

    static String printable(String text)
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 120; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == 0xfffd ? '?' : c);
        }
        return out.toString();
    }
}
