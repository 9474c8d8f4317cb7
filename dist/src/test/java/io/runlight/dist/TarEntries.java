package io.runlight.dist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static java.util.Objects.requireNonNull;

/**
 * Reads the entries of a {@code .tar.gz} (ustar headers, with GNU and PAX long names),
 * so a test sees the archive exactly as {@code tar} would, without unpacking it.
 */
final class TarEntries
{
    private static final int BLOCK = 512;

    private TarEntries() {}

    /** One archive entry: its path, Unix mode, size and whether it is a directory. */
    record Entry(String name, int mode, long size, boolean directory)
    {
        Entry
        {
            requireNonNull(name, "name is null");
        }
    }

    static List<Entry> read(Path tarGz)
            throws IOException
    {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarGz)))) {
            String longName = null;
            while (true) {
                byte[] header = in.readNBytes(BLOCK);
                if (header.length < BLOCK || isZero(header)) {
                    return entries;
                }
                String name = text(header, 0, 100);
                int mode = (int) octal(header, 100, 8);
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                String prefix = text(header, 345, 155);
                byte[] data = in.readNBytes((int) ((size + BLOCK - 1) / BLOCK * BLOCK));
                if (type == 'L') {
                    longName = new String(data, 0, (int) size, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                if (type == 'x') {
                    longName = paxPath(new String(data, 0, (int) size, StandardCharsets.UTF_8));
                    continue;
                }
                String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
                longName = null;
                entries.add(new Entry(path, mode, size, type == '5' || path.endsWith("/")));
            }
        }
    }

    private static String paxPath(String records)
    {
        for (String line : records.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static boolean isZero(byte[] block)
    {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length)
    {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length)
    {
        String digits = text(header, offset, length).strip();
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    }
}
