package io.runlight.insights.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of a Berkeley DB hash database ({@code /var/lib/rpm/Packages} of RHEL 7/8 and
 * Amazon Linux 2), read page by page without the library: every hash page's key/value pairs,
 * with values stored on overflow pages followed along their chain. Byte order comes from the
 * metadata page's magic; page numbers and lengths are checked against the file.
 */
final class BerkeleyDbHash
{
    private static final int HASH_MAGIC = 0x061561;
    private static final int PAGE_HEADER = 26;
    private static final int P_HASH_UNSORTED = 2;
    private static final int P_OVERFLOW = 7;
    private static final int P_HASH = 13;
    private static final int H_KEYDATA = 1;
    private static final int H_OFFPAGE = 3;
    private static final long MAX_VALUE = 256L * 1024 * 1024;

    private BerkeleyDbHash() {}

    /** Every value stored in the database, in page order. */
    static List<byte[]> values(Path file)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer meta = read(channel, 0, 512, ByteOrder.LITTLE_ENDIAN);
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (meta.getInt(12) != HASH_MAGIC) {
                order = ByteOrder.BIG_ENDIAN;
                meta.order(order);
                if (meta.getInt(12) != HASH_MAGIC) {
                    throw new EOFException("not a Berkeley DB hash database (no hash magic on the metadata page)");
                }
            }
            int pageSize = meta.getInt(20);
            if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
                throw new EOFException("a page size of " + pageSize + " bytes");
            }
            long pages = channel.size() / pageSize;
            List<byte[]> values = new ArrayList<>();
            for (long page = 1; page < pages; page++) {
                ByteBuffer buffer = read(channel, page * pageSize, pageSize, order);
                int type = buffer.get(25) & 0xff;
                if (type != P_HASH && type != P_HASH_UNSORTED) {
                    continue;
                }
                int entries = Short.toUnsignedInt(buffer.getShort(20));
                if (PAGE_HEADER + 2L * entries > pageSize) {
                    throw new EOFException("page " + page + " claims " + entries + " entries");
                }
                // entries alternate key, value; the value's item starts with its type
                for (int index = 1; index < entries; index += 2) {
                    int offset = Short.toUnsignedInt(buffer.getShort(PAGE_HEADER + 2 * index));
                    if (offset >= pageSize) {
                        throw new EOFException("page " + page + " has an entry outside the page");
                    }
                    int itemType = buffer.get(offset) & 0xff;
                    if (itemType == H_OFFPAGE) {
                        if (offset + 12 > pageSize) {
                            throw new EOFException("page " + page + " has a truncated overflow reference");
                        }
                        long first = Integer.toUnsignedLong(buffer.getInt(offset + 4));
                        long length = Integer.toUnsignedLong(buffer.getInt(offset + 8));
                        values.add(overflow(channel, first, length, pageSize, pages, order));
                    }
                    else if (itemType == H_KEYDATA) {
                        // inline: from after the type byte to the previous entry's start (or the page end)
                        int end = index == 0 ? pageSize : Short.toUnsignedInt(buffer.getShort(PAGE_HEADER + 2 * (index - 1)));
                        if (end <= offset || end > pageSize) {
                            end = pageSize;
                        }
                        byte[] value = new byte[end - offset - 1];
                        buffer.get(offset + 1, value);
                        values.add(value);
                    }
                }
            }
            return values;
        }
    }

    private static byte[] overflow(FileChannel channel, long first, long length, int pageSize, long pages, ByteOrder order)
            throws IOException
    {
        if (length > MAX_VALUE) {
            throw new EOFException("a value of " + length + " bytes");
        }
        byte[] value = new byte[(int) length];
        int filled = 0;
        long page = first;
        int hops = 0;
        while (filled < length) {
            if (page <= 0 || page >= pages || ++hops > pages) {
                throw new EOFException("an overflow chain leads to page " + page + ", outside the file");
            }
            ByteBuffer buffer = read(channel, page * pageSize, pageSize, order);
            if ((buffer.get(25) & 0xff) != P_OVERFLOW) {
                throw new EOFException("an overflow chain leads to page " + page + ", which is not an overflow page");
            }
            // on an overflow page, hf_offset is the number of bytes it holds
            int used = Short.toUnsignedInt(buffer.getShort(22));
            int take = Math.min(used, (int) (length - filled));
            if (PAGE_HEADER + take > pageSize) {
                throw new EOFException("overflow page " + page + " claims " + used + " bytes");
            }
            buffer.get(PAGE_HEADER, value, filled, take);
            filled += take;
            page = Integer.toUnsignedLong(buffer.getInt(16));
        }
        return value;
    }

    private static ByteBuffer read(FileChannel channel, long offset, int length, ByteOrder order)
            throws IOException
    {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                if (buffer.position() == 0) {
                    throw new EOFException("the file ends before byte " + offset);
                }
                break;
            }
        }
        return buffer.clear();
    }
}
