package io.runlight.hub.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import io.runlight.hub.insights.ReceivedDocument;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;

import static java.util.Objects.requireNonNull;

/**
 * Streams a request body to a temporary file without holding it in memory (or, for
 * {@link #receive}, reads a small one into memory), refusing
 * it with 413 as soon as it passes the limit (or at once, from Content-Length) and
 * with 415 when its content type is not one the endpoint reads. A document is read with
 * bounded memory on a worker thread while it arrives ({@link #spoolAndRead}), events once
 * they are all there.
 */
public final class BodySpooler
{
    /** Threads that read documents while they arrive ({@link #spoolAndRead}); more uploads at once queue their reads. */
    static final int READER_THREADS = 4;
    /** How long a reader waits for the next bytes of a body before it leaves the body to be read once it is all there. */
    static final Duration READER_STALL = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final Path spoolDir;
    private final WorkerExecutor readers;
    private final Duration readerStall;

    public BodySpooler(Vertx vertx, Path spoolDir)
    {
        this(vertx, spoolDir, READER_STALL);
    }

    BodySpooler(Vertx vertx, Path spoolDir, Duration readerStall)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.spoolDir = requireNonNull(spoolDir, "spoolDir is null");
        this.readerStall = requireNonNull(readerStall, "readerStall is null");
        // its own threads: a reader blocks while the client sends, which must not take the workers that answer other requests
        this.readers = vertx.createSharedWorkerExecutor("runlight-body-reader", READER_THREADS);
    }

    /** A document received, and what {@code reader} made of it. */
    public record Read<T>(ReceivedDocument document, T value)
    {
        public Read
        {
            requireNonNull(document, "document is null");
            requireNonNull(value, "value is null");
        }
    }

    /**
     * Spools the body, taking its SHA-256 and size as it arrives (storing the document then
     * needs no second pass over the file to name its blob), and reads it with {@code reader}
     * on a worker thread while it arrives: parsing a large document then overlaps its upload instead of following it.
     * The result completes once the body is all spooled and read. A body refused or not
     * received completely (415, 413, a broken upload) fails with that, whatever the reader
     * made of the part it saw; otherwise a reader's failure is the result's. A client that
     * stops sending for a while ({@code READER_STALL}) does not hold the reader's thread: the
     * body is then read from the file once it is all there. The caller deletes the file.
     */
    public <T> Future<Read<T>> spoolAndRead(HttpServerRequest request, long limit, List<String> accepted, Function<InputStream, T> reader)
    {
        requireNonNull(reader, "reader is null");
        ApiException refused = refusal(request, limit, accepted);
        if (refused != null) {
            discard(request);
            return Future.failedFuture(refused);
        }
        ArrivingBody arriving = new ArrivingBody(readerStall);
        MessageDigest digest = ReceivedDocument.newDigest();
        Future<ReceivedDocument> received = toFile(request, limit, Optional.of(digest), Optional.of(arriving))
                .map(spooled -> new ReceivedDocument(spooled.path(), HexFormat.of().formatHex(digest.digest()), spooled.size()));
        Future<T> whileArriving = readers.executeBlocking(() -> {
            try (InputStream in = arriving.stream()) {
                return reader.apply(in);
            }
        }, false);
        // the body's failure wins: the reader of a broken upload fails too, for a reason that is not the client's
        return received.compose(document -> whileArriving.transform(read -> {
            if (read.succeeded()) {
                return Future.succeededFuture(new Read<>(document, read.result()));
            }
            if (!arriving.gaveUp()) {
                return Future.failedFuture(read.cause());
            }
            return readers.executeBlocking(() -> {
                try (InputStream in = Files.newInputStream(document.file())) {
                    return new Read<>(document, reader.apply(in));
                }
            }, false);
        }).onFailure(error -> deleteQuietly(document.file())));
    }

    /** A body that declares at most this many bytes is read into memory by {@link #receive}, not spooled to a file. */
    public static final int IN_MEMORY_BYTES = 256 * 1024;

    /**
     * Spools the body, but a body whose Content-Length is at most {@link #IN_MEMORY_BYTES}
     * is read into memory: a small body (a batch of events) costs no file to create, write,
     * read back and delete. A body of unknown length is spooled. The caller
     * {@linkplain Received#release releases} what it got when done.
     */
    public Future<Received> receive(HttpServerRequest request, long limit, List<String> accepted)
    {
        ApiException refused = refusal(request, limit, accepted);
        if (refused != null) {
            discard(request);
            return Future.failedFuture(refused);
        }
        String declared = request.getHeader("Content-Length");
        if (declared == null || Long.parseLong(declared.strip()) > IN_MEMORY_BYTES) {
            return toFile(request, limit, Optional.empty(), Optional.empty()).map(spooled -> new Spooled(spooled.path()));
        }
        // HTTP/1.1 framing reads exactly Content-Length bytes, which refusal() held to the limit
        Future<Buffer> body = request.body();
        request.resume();
        return body.<Received>map(InMemory::new)
                .recover(error -> Future.failedFuture(ApiException.badRequest("The request body could not be read: " + error.getMessage())));
    }

    /** A received body: in memory or in a spool file. */
    public sealed interface Received
            permits InMemory, Spooled
    {
        /** The body's bytes from the start. */
        InputStream open()
                throws IOException;

        /** Deletes the spool file, if any. */
        void release()
                throws IOException;
    }

    public record InMemory(Buffer bytes)
            implements Received
    {
        public InMemory
        {
            requireNonNull(bytes, "bytes is null");
        }

        @Override
        public InputStream open()
        {
            return new ByteArrayInputStream(bytes.getBytes());
        }

        @Override
        public void release() {}
    }

    public record Spooled(Path file)
            implements Received
    {
        public Spooled
        {
            requireNonNull(file, "file is null");
        }

        @Override
        public InputStream open()
                throws IOException
        {
            return Files.newInputStream(file);
        }

        @Override
        public void release()
                throws IOException
        {
            Files.deleteIfExists(file);
        }
    }

    /** Why the body is refused before it is read (415, 413 from Content-Length, 400); null when it is not. */
    private static ApiException refusal(HttpServerRequest request, long limit, List<String> accepted)
    {
        String contentType = mediaType(request.getHeader("Content-Type"));
        if (contentType.isEmpty() || !accepted.contains(contentType)) {
            return new ApiException(415, "unsupported_media_type",
                    "Content-Type '" + (contentType.isEmpty() ? "(none)" : contentType) + "' is not accepted here; send one of " + accepted + ".");
        }
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > limit) {
                    return tooLarge(limit);
                }
            }
            catch (NumberFormatException e) {
                return ApiException.badRequest("Content-Length '" + declared + "' is not a number.");
            }
        }
        return null;
    }

    /**
     * Spools the body to a new file; {@code digest}, when given, is updated with every byte
     * written, and {@code arriving}, when given, is told of the file, of every write done and
     * of the end or failure.
     */
    private Future<SpoolFile> toFile(HttpServerRequest request, long limit, Optional<MessageDigest> digest, Optional<ArrivingBody> arriving)
    {
        request.pause();
        Promise<SpoolFile> result = Promise.promise();
        arriving.ifPresent(body -> result.future().onComplete(done -> {
            if (done.succeeded()) {
                body.ended(done.result().size());
            }
            else {
                body.failed(done.cause());
            }
        }));
        vertx.fileSystem().mkdirs(spoolDir.toString())
                .compose(ignored -> vertx.fileSystem().createTempFile(spoolDir.toString(), "body-", ".spool", (String) null))
                .compose(path -> vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setTruncateExisting(true)).map(file -> new Spool(Path.of(path), file)))
                .onFailure(result::fail)
                .onSuccess(spool -> {
                    arriving.ifPresent(body -> body.opened(spool.path()));
                    copy(request, spool, limit, digest, arriving, result);
                });
        return result.future();
    }

    private void copy(HttpServerRequest request, Spool spool, long limit, Optional<MessageDigest> digest, Optional<ArrivingBody> arriving, Promise<SpoolFile> result)
    {
        long[] received = {0};
        SpoolWrites writes = new SpoolWrites(vertx.getOrCreateContext(), spool, digest, arriving, result);
        request.handler(buffer -> {
            if (result.future().isComplete()) {
                return;
            }
            received[0] += buffer.length();
            if (received[0] > limit) {
                abandon(spool);
                result.tryFail(tooLarge(limit));
                return;
            }
            writes.append(buffer);
            if (spool.file().writeQueueFull()) {
                request.pause();
                spool.file().drainHandler(ignored -> request.resume());
            }
        });
        request.exceptionHandler(error -> {
            abandon(spool);
            result.tryFail(ApiException.badRequest("The request body could not be read: " + error.getMessage()));
        });
        request.endHandler(ignored -> {
            if (result.future().isComplete()) {
                return;
            }
            writes.flush();
            spool.file().close()
                    .onSuccess(closed -> result.tryComplete(new SpoolFile(spool.path(), received[0])))
                    .onFailure(error -> {
                        abandon(spool);
                        result.tryFail(error);
                    });
        });
        request.resume();
    }

    /**
     * The writes of one body to its spool file, on the event loop. HTTP/1.1 hands the body over
     * in chunks of 8 KiB; written one by one, each cost a task on a worker thread and a
     * completion back on the event loop: 20,000 of each for a 160 MiB SBOM. The chunks that
     * arrive in one turn of the event loop go to the file in one write instead (at most
     * {@link #WRITE_BYTES}), issued once the turn is over, so a client that pauses has what it
     * sent written at once.
     */
    private final class SpoolWrites
    {
        /** The most bytes one write holds. */
        static final int WRITE_BYTES = 1024 * 1024;
        /** The body is paused while this many bytes are being written: a write is issued while the one before runs. */
        static final int WRITES_IN_FLIGHT = 2 * WRITE_BYTES;

        private final Context context;
        private final Spool spool;
        private final Optional<MessageDigest> digest;
        private final Optional<ArrivingBody> arriving;
        private final Promise<SpoolFile> result;
        // the digest reads each chunk through this instead of through a new array per chunk
        private final byte[] scratch = new byte[64 * 1024];
        private final List<Buffer> pending = new ArrayList<>();
        private int pendingBytes;
        private long written;
        private boolean flushQueued;

        SpoolWrites(Context context, Spool spool, Optional<MessageDigest> digest, Optional<ArrivingBody> arriving, Promise<SpoolFile> result)
        {
            this.context = requireNonNull(context, "context is null");
            this.spool = requireNonNull(spool, "spool is null");
            this.digest = requireNonNull(digest, "digest is null");
            this.arriving = requireNonNull(arriving, "arriving is null");
            this.result = requireNonNull(result, "result is null");
            spool.file().setWriteQueueMaxSize(WRITES_IN_FLIGHT);
        }

        /** Hashes the chunk and keeps it for the next write (the request's chunks are its own copies, not reused by the server). */
        void append(Buffer chunk)
        {
            digest.ifPresent(sha256 -> {
                // on the event loop: SHA-256 runs at more than 1 GB/s here, about 50 us per 64 KiB
                for (int from = 0; from < chunk.length(); from += scratch.length) {
                    int to = Math.min(chunk.length(), from + scratch.length);
                    chunk.getBytes(from, to, scratch, 0);
                    sha256.update(scratch, 0, to - from);
                }
            });
            pending.add(chunk);
            pendingBytes += chunk.length();
            if (pendingBytes >= WRITE_BYTES) {
                flush();
            }
            else if (!flushQueued) {
                flushQueued = true;
                // runs after the reads of this turn of the event loop
                context.runOnContext(ignored -> {
                    flushQueued = false;
                    if (!result.future().isComplete()) {
                        flush();
                    }
                });
            }
        }

        /** Issues the write of the chunks appended since the last one, in one buffer. */
        void flush()
        {
            if (pending.isEmpty()) {
                return;
            }
            Buffer write;
            if (pending.size() == 1) {
                write = pending.get(0);
            }
            else {
                write = Buffer.buffer(pendingBytes);
                pending.forEach(write::appendBuffer);
            }
            pending.clear();
            pendingBytes = 0;
            long start = written;
            written += write.length();
            long end = written;
            Future<Void> done = spool.file().write(write);
            arriving.ifPresent(body -> done.onSuccess(ignored -> body.written(start, end)));
            done.onFailure(error -> {
                abandon(spool);
                result.tryFail(error);
            });
        }
    }

    /**
     * Reads and drops a refused body. The request is paused (the guard paused it); left
     * paused, a client still sending would wait for the rest of its upload forever and
     * never read the error.
     */
    private static void discard(HttpServerRequest request)
    {
        if (request.isEnded()) {
            return;
        }
        request.handler(ignored -> {});
        request.resume();
    }

    private void deleteQuietly(Path file)
    {
        vertx.fileSystem().delete(file.toString());
    }

    private void abandon(Spool spool)
    {
        spool.file().close().onComplete(ignored -> vertx.fileSystem().delete(spool.path().toString()));
    }

    private static ApiException tooLarge(long limit)
    {
        return new ApiException(413, "payload_too_large", "The request body is larger than this endpoint's limit of " + limit + " bytes.");
    }

    /** The media type without parameters, lower case; empty when absent. */
    public static String mediaType(String header)
    {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon >= 0 ? header.substring(0, semicolon) : header).strip().toLowerCase(Locale.ROOT);
    }

    private record Spool(Path path, AsyncFile file) {}

    /** A body written completely to {@code path}: {@code size} bytes. */
    private record SpoolFile(Path path, long size) {}
}
