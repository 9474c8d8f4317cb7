package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

import static java.util.Objects.requireNonNull;

/**
 * A file mapped into memory, read at random: reading an uncompressed layer's headers and
 * the parts of its jars and binaries is then copying from the page cache, without a system call
 * for each of the tens of thousands of small reads. A file is mapped in parts of at most 1 GiB
 * (a buffer holds less than 2 GiB); the mapping goes when the buffers are collected.
 *
 * <p>A file made shorter while it is mapped cannot be read past its new end: the JVM throws an
 * {@link InternalError} (a fault in an unsafe memory access), soon after the read rather than in
 * it, which {@link Cataloger#catalogArchive} turns into a message.
 */
final class MappedFile
        implements ChannelRegion.Source
{
    private static final int PART = 1 << 30;

    private final MappedByteBuffer[] parts;
    private final long size;

    private MappedFile(MappedByteBuffer[] parts, long size)
    {
        this.parts = parts;
        this.size = size;
    }

    /** The whole file mapped, or read with positional reads where it cannot be mapped. */
    static ChannelRegion.Source mapOrRead(FileChannel channel)
            throws IOException
    {
        try {
            return map(channel);
        }
        catch (IOException | UnsupportedOperationException e) {
            // a file system without mappings (some FUSE ones): system calls it is
            return channel::read;
        }
    }

    /** Maps the whole file, read-only. */
    static MappedFile map(FileChannel channel)
            throws IOException
    {
        requireNonNull(channel, "channel is null");
        long size = channel.size();
        MappedByteBuffer[] parts = new MappedByteBuffer[(int) Math.max(1, (size + PART - 1) / PART)];
        for (int i = 0; i < parts.length; i++) {
            long start = (long) i * PART;
            parts[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(PART, size - start));
        }
        return new MappedFile(parts, size);
    }

    @Override
    public int read(ByteBuffer target, long position)
    {
        if (position >= size) {
            return -1;
        }
        int total = 0;
        while (target.hasRemaining() && position < size) {
            MappedByteBuffer part = parts[(int) (position / PART)];
            int offset = (int) (position % PART);
            int length = Math.min(target.remaining(), part.limit() - offset);
            target.put(target.position(), part, offset, length);
            target.position(target.position() + length);
            position += length;
            total += length;
        }
        return total;
    }
}
