package io.runlight.insights.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A zip file's central directory, read at random from a {@link ChannelRegion}, so that a jar's
 * manifest and pom.properties are read without reading the jar: a few kilobytes of a 2 MB jar.
 * Data before the zip (the launch script of a Spring Boot "fully executable" jar) is allowed,
 * as {@code java.util.zip.ZipFile} allows it. Zip64 archives are not read here: the caller
 * reads them as a stream.
 */
final class ZipDirectory
{
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int MAX_ENTRIES = 1_000_000;

    /** One entry: name, method (0 stored, 8 deflated), sizes, where its local header is. */
    record Entry(String name, int method, long compressedSize, long size, long localHeader) {}

    private ZipDirectory() {}

    /** The entries, or empty if this is no zip Runlight reads at random (Zip64, no end record). */
    static Optional<List<Entry>> entries(ChannelRegion zip)
            throws IOException
    {
        if (zip.size() < 22) {
            return Optional.empty();
        }
        int tailLength = (int) Math.min(zip.size(), 22 + 65535);
        ByteBuffer tail = zip.read(zip.size() - tailLength, tailLength, ByteOrder.LITTLE_ENDIAN);
        int end = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (tail.getInt(i) == END_SIGNATURE) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return Optional.empty();
        }
        int count = Short.toUnsignedInt(tail.getShort(end + 10));
        long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
        long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
        if (count == 0xffff || directoryOffset == 0xffffffffL || directorySize == 0xffffffffL || count > MAX_ENTRIES) {
            return Optional.empty();
        }
        long endPosition = zip.size() - tailLength + end;
        long directoryStart = endPosition - directorySize;
        // bytes before the zip shift every recorded offset
        long base = directoryStart - directoryOffset;
        if (directoryStart < 0 || base < 0 || directorySize > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        ByteBuffer directory = zip.read(directoryStart, (int) directorySize, ByteOrder.LITTLE_ENDIAN);
        List<Entry> entries = new ArrayList<>(count);
        int position = 0;
        for (int i = 0; i < count; i++) {
            if (position + 46 > directorySize || directory.getInt(position) != CENTRAL_SIGNATURE) {
                throw new EOFException("the zip's central directory is corrupt at entry " + i);
            }
            int method = Short.toUnsignedInt(directory.getShort(position + 10));
            long compressed = Integer.toUnsignedLong(directory.getInt(position + 20));
            long size = Integer.toUnsignedLong(directory.getInt(position + 24));
            int nameLength = Short.toUnsignedInt(directory.getShort(position + 28));
            int extraLength = Short.toUnsignedInt(directory.getShort(position + 30));
            int commentLength = Short.toUnsignedInt(directory.getShort(position + 32));
            long local = Integer.toUnsignedLong(directory.getInt(position + 42));
            if (position + 46 + nameLength > directorySize) {
                throw new EOFException("the zip's central directory is corrupt at entry " + i);
            }
            if (compressed == 0xffffffffL || size == 0xffffffffL || local == 0xffffffffL) {
                return Optional.empty();
            }
            byte[] name = new byte[nameLength];
            directory.get(position + 46, name);
            entries.add(new Entry(new String(name, StandardCharsets.UTF_8), method, compressed, size, base + local));
            position += 46 + nameLength + extraLength + commentLength;
        }
        return Optional.of(entries);
    }

    /** Where the entry's (compressed) data is in the zip. */
    static ChannelRegion data(ChannelRegion zip, Entry entry)
            throws IOException
    {
        ByteBuffer local = zip.read(entry.localHeader(), 30, ByteOrder.LITTLE_ENDIAN);
        if (local.getInt(0) != LOCAL_SIGNATURE) {
            throw new EOFException("the zip entry '" + entry.name() + "' has no local header where the directory says");
        }
        long start = entry.localHeader() + 30 + Short.toUnsignedInt(local.getShort(26)) + Short.toUnsignedInt(local.getShort(28));
        return zip.slice(start, entry.compressedSize());
    }

    /** The entry's uncompressed bytes, refused over {@code limit}. */
    static byte[] read(ChannelRegion zip, Entry entry, long limit)
            throws IOException
    {
        if (entry.size() > limit || entry.compressedSize() > Integer.MAX_VALUE) {
            throw new EOFException("'" + entry.name() + "' has " + entry.size() + " bytes, more than " + limit);
        }
        ChannelRegion data = data(zip, entry);
        ByteBuffer compressed = data.read(0, (int) data.size(), ByteOrder.LITTLE_ENDIAN);
        if (entry.method() == 0) {
            return compressed.array();
        }
        if (entry.method() != 8) {
            throw new EOFException("'" + entry.name() + "' uses compression method " + entry.method());
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed.array());
            byte[] out = new byte[(int) entry.size()];
            int filled = 0;
            while (filled < out.length && !inflater.finished()) {
                int inflated = inflater.inflate(out, filled, out.length - filled);
                if (inflated == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                filled += inflated;
            }
            if (filled != out.length) {
                throw new EOFException("'" + entry.name() + "' inflates to " + filled + " bytes, not " + out.length);
            }
            return out;
        }
        catch (DataFormatException e) {
            throw new EOFException("'" + entry.name() + "' is not valid deflate data: " + e.getMessage());
        }
        finally {
            inflater.end();
        }
    }

    /** The entry's uncompressed content as a stream (a compressed nested jar). */
    static InputStream stream(ChannelRegion zip, Entry entry)
            throws IOException
    {
        InputStream raw = data(zip, entry).stream();
        return entry.method() == 0 ? raw : new InflaterInputStream(raw, new Inflater(true), 64 * 1024);
    }
}
