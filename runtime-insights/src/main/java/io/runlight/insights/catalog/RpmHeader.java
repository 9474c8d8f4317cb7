package io.runlight.insights.catalog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An installed package's header as rpm stores it in its database (any back-end): a blob of
 * {@code il} index entries ({@code tag, type, offset, count}, big-endian) followed by {@code dl}
 * bytes of data. Every offset and count is checked against the blob, so a corrupt or hostile
 * database gives a clear error, never an out-of-bounds read.
 *
 * @param name {@code NAME}
 * @param version {@code VERSION}
 * @param release {@code RELEASE}
 * @param epoch {@code EPOCH}, if set
 * @param arch {@code ARCH}
 * @param files the files it owns: {@code DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]}, or {@code OLDFILENAMES}
 */
record RpmHeader(String name, String version, String release, Optional<Integer> epoch, String arch, List<String> files)
{
    private static final int NAME = 1000;
    private static final int VERSION = 1001;
    private static final int RELEASE = 1002;
    private static final int EPOCH = 1003;
    private static final int ARCH = 1022;
    private static final int OLDFILENAMES = 1027;
    private static final int DIRINDEXES = 1116;
    private static final int BASENAMES = 1117;
    private static final int DIRNAMES = 1118;

    private static final int INT32 = 4;
    private static final int STRING = 6;
    private static final int STRING_ARRAY = 8;
    private static final int I18NSTRING = 9;
    private static final int MAX_ENTRIES = 1 << 20;

    /** Thrown for a blob that is not a header; the message says what is wrong. */
    static final class BadHeaderException
            extends Exception
    {
        BadHeaderException(String message)
        {
            super(message);
        }
    }

    static RpmHeader parse(byte[] blob)
            throws BadHeaderException
    {
        if (blob.length < 8) {
            throw new BadHeaderException("a header has at least 8 bytes, found " + blob.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        int indexLength = buffer.getInt(0);
        int dataLength = buffer.getInt(4);
        if (indexLength <= 0 || indexLength > MAX_ENTRIES || dataLength < 0) {
            throw new BadHeaderException("the header claims " + indexLength + " entries and " + dataLength + " bytes of data");
        }
        long dataStart = 8L + 16L * indexLength;
        if (dataStart + dataLength > blob.length) {
            throw new BadHeaderException("the header claims " + (dataStart + dataLength) + " bytes, the blob has " + blob.length);
        }
        Map<Integer, int[]> entries = new HashMap<>();
        for (int i = 0; i < indexLength; i++) {
            int base = 8 + 16 * i;
            int tag = buffer.getInt(base);
            int type = buffer.getInt(base + 4);
            int offset = buffer.getInt(base + 8);
            int count = buffer.getInt(base + 12);
            if (offset < 0 || offset > dataLength || count < 0 || count > MAX_ENTRIES) {
                throw new BadHeaderException("tag " + tag + " points outside the header's data");
            }
            entries.putIfAbsent(tag, new int[] {type, offset, count});
        }
        Reader reader = new Reader(blob, (int) dataStart, dataLength, entries);
        String name = reader.string(NAME).orElseThrow(() -> new BadHeaderException("the header has no NAME"));
        List<String> files = new ArrayList<>();
        List<String> basenames = reader.strings(BASENAMES);
        if (!basenames.isEmpty()) {
            List<String> dirnames = reader.strings(DIRNAMES);
            int[] indexes = reader.ints(DIRINDEXES);
            if (indexes.length != basenames.size()) {
                throw new BadHeaderException("package '" + name + "' has " + basenames.size() + " BASENAMES but " + indexes.length + " DIRINDEXES");
            }
            for (int i = 0; i < basenames.size(); i++) {
                if (indexes[i] < 0 || indexes[i] >= dirnames.size()) {
                    throw new BadHeaderException("package '" + name + "' has a DIRINDEXES entry outside DIRNAMES");
                }
                files.add(dirnames.get(indexes[i]) + basenames.get(i));
            }
        }
        else {
            files.addAll(reader.strings(OLDFILENAMES));
        }
        int[] epoch = reader.ints(EPOCH);
        return new RpmHeader(name, reader.string(VERSION).orElse(""), reader.string(RELEASE).orElse(""),
                epoch.length > 0 ? Optional.of(epoch[0]) : Optional.empty(), reader.string(ARCH).orElse(""), List.copyOf(files));
    }

    /** {@code [epoch:]version-release}, as rpm -q prints it with an epoch. */
    String fullVersion()
    {
        String versionRelease = release.isEmpty() ? version : version + "-" + release;
        return epoch.map(value -> value + ":" + versionRelease).orElse(versionRelease);
    }

    private record Reader(byte[] blob, int dataStart, int dataLength, Map<Integer, int[]> entries)
    {
        Optional<String> string(int tag)
                throws BadHeaderException
        {
            int[] entry = entries.get(tag);
            if (entry == null) {
                return Optional.empty();
            }
            if (entry[0] != STRING && entry[0] != STRING_ARRAY && entry[0] != I18NSTRING) {
                throw new BadHeaderException("tag " + tag + " is not a string");
            }
            return Optional.of(cString(entry[1]));
        }

        List<String> strings(int tag)
                throws BadHeaderException
        {
            int[] entry = entries.get(tag);
            if (entry == null) {
                return List.of();
            }
            if (entry[0] != STRING_ARRAY && entry[0] != STRING && entry[0] != I18NSTRING) {
                throw new BadHeaderException("tag " + tag + " is not a string array");
            }
            List<String> values = new ArrayList<>(entry[2]);
            int offset = entry[1];
            for (int i = 0; i < entry[2]; i++) {
                String value = cString(offset);
                values.add(value);
                offset += value.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            return values;
        }

        int[] ints(int tag)
                throws BadHeaderException
        {
            int[] entry = entries.get(tag);
            if (entry == null) {
                return new int[0];
            }
            if (entry[0] != INT32) {
                throw new BadHeaderException("tag " + tag + " is not a 32-bit integer");
            }
            if ((long) entry[1] + 4L * entry[2] > dataLength) {
                throw new BadHeaderException("tag " + tag + " runs past the header's data");
            }
            ByteBuffer buffer = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
            int[] values = new int[entry[2]];
            for (int i = 0; i < values.length; i++) {
                values[i] = buffer.getInt(dataStart + entry[1] + 4 * i);
            }
            return values;
        }

        private String cString(int offset)
                throws BadHeaderException
        {
            int start = dataStart + offset;
            int end = start;
            int limit = dataStart + dataLength;
            while (end < limit && blob[end] != 0) {
                end++;
            }
            if (end >= limit) {
                throw new BadHeaderException("a string runs past the header's data");
            }
            return new String(blob, start, end - start, StandardCharsets.UTF_8);
        }
    }
}
