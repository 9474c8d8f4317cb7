package io.runlight.insights.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

import static java.util.Objects.requireNonNull;

/**
 * A file's bytes that can be read at random: a file of a root folder, a member of an
 * uncompressed layer (a contiguous part of the archive file), or a member of a compressed layer
 * read into memory. Readers of jars and binaries use it to read the few parts they need (a zip's
 * central directory, an ELF section) instead of the whole file.
 */
record ChannelRegion(Source source, long offset, long size)
{
    /** Where the bytes are: {@link FileChannel#read(ByteBuffer, long)}, or an array. */
    @FunctionalInterface
    interface Source
    {
        /** Reads at the position into the buffer; -1 at the end. */
        int read(ByteBuffer target, long position)
                throws IOException;
    }

    ChannelRegion
    {
        requireNonNull(source, "source is null");
    }

    ChannelRegion(FileChannel channel, long offset, long size)
    {
        this(requireNonNull(channel, "channel is null")::read, offset, size);
    }

    /** Bytes in memory, as a region. */
    static ChannelRegion of(byte[] bytes)
    {
        return new ChannelRegion((target, position) -> {
            if (position >= bytes.length) {
                return -1;
            }
            int length = (int) Math.min(target.remaining(), bytes.length - position);
            target.put(bytes, (int) position, length);
            return length;
        }, 0, bytes.length);
    }

    /** {@code length} bytes at {@code position} of the region. */
    ByteBuffer read(long position, int length, ByteOrder order)
            throws IOException
    {
        if (position < 0 || length < 0 || position + length > size) {
            throw new EOFException("bytes " + position + " to " + (position + length) + " are outside the " + size + " bytes of the file");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
        while (buffer.hasRemaining()) {
            if (source.read(buffer, offset + position + buffer.position()) < 0) {
                throw new EOFException("the file ends early");
            }
        }
        return buffer.flip();
    }

    /** A part of the region. */
    ChannelRegion slice(long position, long length)
            throws EOFException
    {
        if (position < 0 || length < 0 || position + length > size) {
            throw new EOFException("bytes " + position + " to " + (position + length) + " are outside the " + size + " bytes of the file");
        }
        return new ChannelRegion(source, offset + position, length);
    }

    InputStream stream()
    {
        return new FileRegionStream(source, offset, size);
    }

    /** A content stream that also offers its bytes at random. */
    static final class Content
            extends InputStream
    {
        private final InputStream in;
        private final ChannelRegion region;

        Content(InputStream in, ChannelRegion region)
        {
            this.in = in;
            this.region = region;
        }

        ChannelRegion region()
        {
            return region;
        }

        @Override
        public int read()
                throws IOException
        {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            return in.read(buffer, offset, length);
        }

        @Override
        public long skip(long count)
                throws IOException
        {
            return in.skip(count);
        }

        @Override
        public void close()
                throws IOException
        {
            in.close();
        }
    }
}
