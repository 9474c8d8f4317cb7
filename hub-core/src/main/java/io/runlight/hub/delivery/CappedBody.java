package io.runlight.hub.delivery;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Receives a response body and keeps at most its first {@code limit} bytes; the rest is
 * read and dropped, so a huge or endless answer cannot fill the hub's memory.
 */
final class CappedBody
        implements WriteStream<Buffer>
{
    private final int limit;
    private final Buffer kept = Buffer.buffer();

    CappedBody(int limit)
    {
        this.limit = limit;
    }

    byte[] bytes()
    {
        return kept.getBytes();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler)
    {
        return this;
    }

    @Override
    public Future<Void> write(Buffer data)
    {
        int room = limit - kept.length();
        if (room > 0) {
            kept.appendBuffer(data.length() <= room ? data : data.getBuffer(0, room));
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> end()
    {
        return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize)
    {
        return this;
    }

    @Override
    public boolean writeQueueFull()
    {
        return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler)
    {
        return this;
    }
}
