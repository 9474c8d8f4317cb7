package io.runlight.hub.http;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;

import static java.util.Objects.requireNonNull;

/**
 * Streams a request body to a temporary file without holding it in memory, refusing
 * it with 413 as soon as it passes the limit (or at once, from Content-Length) and
 * with 415 when its content type is not one the endpoint reads. Readers then parse
 * the file with bounded memory on a worker thread.
 */
public final class BodySpooler
{
    private final Vertx vertx;
    private final Path spoolDir;

    public BodySpooler(Vertx vertx, Path spoolDir)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.spoolDir = requireNonNull(spoolDir, "spoolDir is null");
    }

    /**
     * Spools the body; the caller deletes the file when done.
     *
     * @param accepted media types accepted (without parameters), e.g. {@code application/json}
     */
    public Future<Path> spool(HttpServerRequest request, long limit, List<String> accepted)
    {
        String contentType = mediaType(request.getHeader("Content-Type"));
        if (contentType.isEmpty() || !accepted.contains(contentType)) {
            discard(request);
            return Future.failedFuture(new ApiException(415, "unsupported_media_type",
                    "Content-Type '" + (contentType.isEmpty() ? "(none)" : contentType) + "' is not accepted here; send one of " + accepted + "."));
        }
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > limit) {
                    discard(request);
                    return Future.failedFuture(tooLarge(limit));
                }
            }
            catch (NumberFormatException e) {
                discard(request);
                return Future.failedFuture(ApiException.badRequest("Content-Length '" + declared + "' is not a number."));
            }
        }
        request.pause();
        Promise<Path> result = Promise.promise();
        vertx.fileSystem().mkdirs(spoolDir.toString())
                .compose(ignored -> vertx.fileSystem().createTempFile(spoolDir.toString(), "body-", ".spool", (String) null))
                .compose(path -> vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setTruncateExisting(true)).map(file -> new Spool(Path.of(path), file)))
                .onFailure(result::fail)
                .onSuccess(spool -> copy(request, spool, limit, result));
        return result.future();
    }

    private void copy(HttpServerRequest request, Spool spool, long limit, Promise<Path> result)
    {
        long[] received = {0};
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
            spool.file().write(buffer);
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
            spool.file().close()
                    .onSuccess(closed -> result.tryComplete(spool.path()))
                    .onFailure(error -> {
                        abandon(spool);
                        result.tryFail(error);
                    });
        });
        request.resume();
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
}
