package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import static java.util.Objects.requireNonNull;

/**
 * A buffered stream over a region of a file (a layer inside a {@code docker save} tarball)
 * whose {@link #skip} moves the position instead of reading, so listing an uncompressed
 * layer costs one read per header, as {@code tar -t} does. Positional reads leave the channel's
 * own position alone, so several regions of one file can be read one after the other.
 *
 * <p>After a skip the next read is small: listing a layer reads a header and skips the member's
 * content, and reading 64 KiB for each 512-byte header would copy most of the layer for nothing.
 * Reads that follow each other grow back to 64 KiB.
 */
final class FileRegionStream
        extends InputStream
{
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int AFTER_SKIP = 8 * 1024;

    private final ChannelRegion.Source channel;
    private final long end;
    // no bigger than the region: thousands of small files each get their own stream; made at the first
    // read, as readers of a file that can be read at random often take it whole instead
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    // file position of the first byte after what the buffer holds
    private long position;
    private int nextFill = BUFFER_SIZE;

    FileRegionStream(FileChannel channel, long start, long length)
    {
        this(requireNonNull(channel, "channel is null")::read, start, length);
    }

    FileRegionStream(ChannelRegion.Source channel, long start, long length)
    {
        this.channel = requireNonNull(channel, "channel is null");
        this.position = start;
        this.end = start + length;
    }

    @Override
    public int read()
            throws IOException
    {
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length)
            throws IOException
    {
        if (length == 0) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            // a large read goes straight to the caller's array
            if (length >= BUFFER_SIZE) {
                long left = end - position;
                if (left <= 0) {
                    return -1;
                }
                int read = channel.read(ByteBuffer.wrap(target, offset, (int) Math.min(length, left)), position);
                if (read < 0) {
                    return -1;
                }
                position += read;
                return read;
            }
            if (!fill()) {
                return -1;
            }
        }
        int count = Math.min(length, buffer.remaining());
        buffer.get(target, offset, count);
        return count;
    }

    @Override
    public long skip(long count)
    {
        if (count <= 0) {
            return 0;
        }
        if (count <= buffer.remaining()) {
            buffer.position(buffer.position() + (int) count);
            return count;
        }
        long fromBuffer = buffer.remaining();
        long fromFile = Math.min(count - fromBuffer, end - position);
        buffer.position(buffer.limit());
        position += fromFile;
        nextFill = AFTER_SKIP;
        return fromBuffer + fromFile;
    }

    @Override
    public int available()
    {
        return (int) Math.min(Integer.MAX_VALUE, buffer.remaining() + (end - position));
    }

    private boolean fill()
            throws IOException
    {
        long left = end - position;
        if (left <= 0) {
            return false;
        }
        if (buffer.capacity() == 0) {
            buffer = ByteBuffer.allocate((int) Math.min(BUFFER_SIZE, left));
        }
        buffer.clear();
        buffer.limit((int) Math.min(Math.min(nextFill, buffer.capacity()), left));
        nextFill = BUFFER_SIZE;
        int read = channel.read(buffer, position);
        buffer.flip();
        if (read <= 0) {
            return false;
        }
        position += read;
        return true;
    }

    @Override
    public void close()
    {
        // the channel belongs to the archive, which closes it
    }
}
