package io.runlight.insights.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The package headers of rpm's NDB database ({@code Packages.db} of SUSE Linux Enterprise and
 * openSUSE), read without rpm, as rpm's {@code lib/backend/ndb/rpmpkg.c} lays it out (all
 * numbers little-endian):
 * <ul>
 *   <li>a 32-byte file header: magic {@code RpmP}, version 0, generation, the number of 4 KiB
 *       pages that hold slots, the next package index;</li>
 *   <li>after it, in those pages, 16-byte slots: magic {@code Slot}, package index, block offset
 *       and block count (blocks of 16 bytes; offset 0 is a free slot);</li>
 *   <li>at each used slot's blocks, a blob: a 16-byte head (magic {@code BlbS}, package index,
 *       generation, length), the header blob, padding, and a 12-byte tail (Adler-32 of all
 *       before it, length, magic {@code BlbE}).</li>
 * </ul>
 * Every number is checked against the file and the blob's checksum is verified, as rpm does,
 * so a damaged or hostile file gives a message rather than a wrong package.
 */
final class RpmNdbDatabase
{
    private static final int MAGIC = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
    private static final int SLOT_MAGIC = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
    private static final int BLOB_HEAD_MAGIC = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;
    private static final int BLOB_TAIL_MAGIC = 'B' | 'l' << 8 | 'b' << 16 | 'E' << 24;
    private static final int HEADER_SIZE = 32;
    private static final int PAGE_SIZE = 4096;
    private static final int SLOT_SIZE = 16;
    private static final int BLOCK_SIZE = 16;
    private static final int BLOB_HEAD = 16;
    private static final int BLOB_TAIL = 12;
    // rpm refuses headers over 256 MiB (headerImport's limit); the slot pages of a large system take a few
    private static final long MAX_BLOB = 256L * 1024 * 1024;
    private static final long MAX_SLOT_PAGES = 4096;

    private RpmNdbDatabase() {}

    /** Every package header blob, in the order of the blobs in the file. */
    static List<byte[]> headers(Path file)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = read(channel, 0, HEADER_SIZE, size, "the file header");
            if (header.getInt(0) != MAGIC) {
                throw new EOFException("not an rpm NDB database (no RpmP magic at its start)");
            }
            int version = header.getInt(4);
            if (version != 0) {
                throw new EOFException("an NDB database of version " + Integer.toUnsignedString(version) + "; Runlight reads version 0");
            }
            long slotPages = Integer.toUnsignedLong(header.getInt(12));
            if (slotPages == 0 || slotPages > MAX_SLOT_PAGES) {
                throw new EOFException("the file header claims " + slotPages + " pages of slots");
            }
            if (size % BLOCK_SIZE != 0) {
                throw new EOFException("the file has " + size + " bytes, not a whole number of 16-byte blocks: it is truncated");
            }
            ByteBuffer slots = read(channel, 0, (int) (slotPages * PAGE_SIZE), size, "the slot pages");
            long firstBlobBlock = slotPages * PAGE_SIZE / BLOCK_SIZE;
            List<long[]> used = new ArrayList<>();
            for (int offset = HEADER_SIZE; offset < slots.limit(); offset += SLOT_SIZE) {
                if (slots.getInt(offset) != SLOT_MAGIC) {
                    throw new EOFException("the slot at byte " + offset + " has no Slot magic");
                }
                long block = Integer.toUnsignedLong(slots.getInt(offset + 8));
                if (block == 0) {
                    continue;
                }
                long index = Integer.toUnsignedLong(slots.getInt(offset + 4));
                long blocks = Integer.toUnsignedLong(slots.getInt(offset + 12));
                if (index == 0 || blocks == 0 || block < firstBlobBlock) {
                    throw new EOFException("the slot at byte " + offset + " is damaged (package " + index + " at block " + block + ")");
                }
                if ((block + blocks) * BLOCK_SIZE > size) {
                    throw new EOFException("the slot of package " + index + " points past the end of the file: it is truncated");
                }
                used.add(new long[] {index, block, blocks});
            }
            used.sort(Comparator.comparingLong(slot -> slot[1]));
            List<byte[]> headers = new ArrayList<>(used.size());
            for (long[] slot : used) {
                headers.add(blob(channel, size, slot[0], slot[1], slot[2]));
            }
            return headers;
        }
    }

    private static byte[] blob(FileChannel channel, long fileSize, long index, long block, long blocks)
            throws IOException
    {
        String what = "the blob of package " + index;
        if (blocks * BLOCK_SIZE > MAX_BLOB + BLOB_HEAD + BLOB_TAIL + BLOCK_SIZE) {
            throw new EOFException(what + " has " + blocks * BLOCK_SIZE + " bytes, more than the " + MAX_BLOB + " a package header may have");
        }
        ByteBuffer bytes = read(channel, block * BLOCK_SIZE, (int) (blocks * BLOCK_SIZE), fileSize, what);
        if (bytes.getInt(0) != BLOB_HEAD_MAGIC || Integer.toUnsignedLong(bytes.getInt(4)) != index) {
            throw new EOFException(what + " does not start with its BlbS head");
        }
        long length = Integer.toUnsignedLong(bytes.getInt(12));
        if ((BLOB_HEAD + length + BLOB_TAIL + BLOCK_SIZE - 1) / BLOCK_SIZE != blocks) {
            throw new EOFException(what + " claims " + length + " bytes, which do not fit its " + blocks + " blocks");
        }
        int tail = bytes.limit() - BLOB_TAIL;
        if (bytes.getInt(tail + 8) != BLOB_TAIL_MAGIC || Integer.toUnsignedLong(bytes.getInt(tail + 4)) != length) {
            throw new EOFException(what + " does not end with its BlbE tail");
        }
        long checksum = adler32(bytes.array(), tail);
        if (Integer.toUnsignedLong(bytes.getInt(tail)) != checksum) {
            throw new EOFException(what + " has a wrong checksum: the database is damaged");
        }
        byte[] header = new byte[(int) length];
        System.arraycopy(bytes.array(), BLOB_HEAD, header, 0, header.length);
        return header;
    }

    // RFC 1950's Adler-32 of the first bytes (java.util.zip.Adler32 computes the same)
    private static long adler32(byte[] bytes, int length)
    {
        java.util.zip.Adler32 adler = new java.util.zip.Adler32();
        adler.update(bytes, 0, length);
        return adler.getValue();
    }

    private static ByteBuffer read(FileChannel channel, long offset, int length, long fileSize, String what)
            throws IOException
    {
        if (offset + length > fileSize) {
            throw new EOFException("the file ends in " + what + ": it is truncated");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new EOFException("the file ends in " + what + ": it is truncated");
            }
        }
        return buffer.clear();
    }
}
