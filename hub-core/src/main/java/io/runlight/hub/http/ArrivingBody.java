package io.runlight.hub.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A request body while it is spooled to a file, readable from its start as it arrives: a
 * reader on a worker thread parses the document while the upload is still under way, instead
 * of after it, and reads the bytes from the spool file (the page cache), so no copy of the
 * body is kept in memory for it.
 * <p>
 * The event loop reports the file ({@link #opened}), each write done ({@link #written}: writes
 * may complete out of order, only the bytes from the start up to the first gap are readable),
 * the end ({@link #ended}) or a failure ({@link #failed}); the {@linkplain #stream stream} blocks
 * until {@link #WAKE_BYTES} past its position are readable, or the end. A stream that sees no
 * new byte for {@code stall} takes the few bytes there are, and with none gives up
 * ({@link #gaveUp}) with an IOException, so that a client that stops sending holds a worker
 * thread that long at most: the body is then read from the file once it is all there.
 */
final class ArrivingBody
{
    /**
     * A waiting reader is woken when this many bytes past its position are readable (or at the
     * end): woken for every write instead (16-64 KiB), it spent its time in hand-offs between
     * threads, each a wait for a core on a loaded machine.
     */
    static final long WAKE_BYTES = 1024 * 1024;

    private final Duration stall;
    // guarded by this
    private Path file;
    private long readable;
    private long wakeAt = Long.MAX_VALUE;
    private final Map<Long, Long> writtenPastGap = new TreeMap<>();
    private long size = -1;
    private Throwable failure;
    private boolean gaveUp;

    ArrivingBody(Duration stall)
    {
        this.stall = requireNonNull(stall, "stall is null");
    }

    synchronized void opened(Path spoolFile)
    {
        this.file = requireNonNull(spoolFile, "spoolFile is null");
        notifyAll();
    }

    /** Bytes {@code start} to {@code end} (exclusive) are in the file. */
    synchronized void written(long start, long end)
    {
        if (start != readable) {
            writtenPastGap.put(start, end);
            return;
        }
        readable = end;
        Long next;
        while ((next = writtenPastGap.remove(readable)) != null) {
            readable = next;
        }
        if (readable >= wakeAt || (size >= 0 && readable >= size)) {
            notifyAll();
        }
    }

    /**
     * The body ended after {@code bodySize} bytes, all of them written to the file (the report
     * of the last writes may still come: the stream ends once it has read that many).
     */
    synchronized void ended(long bodySize)
    {
        size = bodySize;
        notifyAll();
    }

    /** The body will not be complete: the stream ends with an IOException. */
    synchronized void failed(Throwable cause)
    {
        if (failure == null) {
            failure = requireNonNull(cause, "cause is null");
        }
        notifyAll();
    }

    /** Whether a stream gave up waiting for bytes (the client stopped sending for the stall time). */
    synchronized boolean gaveUp()
    {
        return gaveUp;
    }

    /** The body's bytes from its start, as they arrive; one reader at a time. */
    InputStream stream()
    {
        return new Stream();
    }

    /**
     * How many bytes past {@code position} are readable (0 at the end): those there are, or when
     * there are none, waits until {@link #WAKE_BYTES} are, or fewer and the body ended or no more
     * came for a while; fails when the body failed.
     */
    private synchronized long awaitReadable(long position)
            throws IOException
    {
        if (failure == null && file != null && readable > position) {
            return readable - position;
        }
        long deadline = System.nanoTime() + stall.toNanos();
        long seen = readable;
        try {
            wakeAt = position + WAKE_BYTES;
            while (true) {
                if (failure != null) {
                    throw new IOException("the request body was not received completely: " + failure.getMessage(), failure);
                }
                boolean ended = size >= 0 && readable >= size;
                if (file != null && (readable >= wakeAt || (ended && readable > position))) {
                    return readable - position;
                }
                if (ended) {
                    return 0;
                }
                long now = System.nanoTime();
                if (readable != seen) {
                    seen = readable;
                    deadline = now + stall.toNanos();
                }
                long left = deadline - now;
                if (left <= 0) {
                    if (file != null && readable > position) {
                        // fewer bytes than a wake-up's worth, and no more for a while: take these
                        return readable - position;
                    }
                    gaveUp = true;
                    throw new IOException("no byte of the request body arrived for " + stall.toMillis() + " ms while it was read");
                }
                // woken by the writes past wakeAt, the end or a failure; the timeout looks again at a slow body
                wait(Math.max(1, Math.min(left / 1_000_000, 50)));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the request body", e);
        }
        finally {
            wakeAt = Long.MAX_VALUE;
        }
    }

    private synchronized Path file()
    {
        return file;
    }

    private final class Stream
            extends InputStream
    {
        private FileChannel channel;
        private long position;
        private boolean closed;

        @Override
        public int read()
                throws IOException
        {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (length == 0) {
                return 0;
            }
            long available = awaitReadable(position);
            if (available <= 0) {
                // ended at this position
                return -1;
            }
            if (channel == null) {
                channel = FileChannel.open(file(), StandardOpenOption.READ);
            }
            int read = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, available)), position);
            if (read < 0) {
                throw new IOException("the spool file ended at " + position + " bytes, before the " + (position + available) + " written to it");
            }
            position += read;
            return read;
        }

        @Override
        public void close()
                throws IOException
        {
            closed = true;
            if (channel != null) {
                channel.close();
            }
        }
    }
}
