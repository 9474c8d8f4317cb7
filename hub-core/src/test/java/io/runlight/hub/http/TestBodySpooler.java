package io.runlight.hub.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BodySpooler#spoolAndRead}: a document is read while it arrives, from exactly the bytes
 * spooled and hashed; a body refused or broken off fails with that, not with what the reader
 * made of its part; a reader's failure is answered once the body is all there; a client that
 * stops sending leaves the body to be read from the file; no spool file is left behind.
 */
final class TestBodySpooler
{
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration STALL = Duration.ofMillis(300);
    private static final long LIMIT = 4 * 1024 * 1024;

    @TempDir
    Path spoolDir;

    private Vertx vertx;
    private HttpServer server;
    private volatile Function<InputStream, String> reader;
    private final CompletableFuture<BodySpooler.Read<String>> result = new CompletableFuture<>();

    @BeforeEach
    void startServer()
            throws Exception
    {
        vertx = Vertx.vertx();
        BodySpooler spooler = new BodySpooler(vertx, spoolDir, STALL);
        server = vertx.createHttpServer()
                .requestHandler(request -> spooler.spoolAndRead(request, LIMIT, List.of("application/json"), in -> reader.apply(in))
                        .onComplete(done -> {
                            if (done.succeeded()) {
                                result.complete(done.result());
                                request.response().setStatusCode(201).end(done.result().value());
                            }
                            else {
                                result.completeExceptionally(done.cause());
                                int status = done.cause() instanceof ApiException api ? api.status() : 422;
                                request.response().setStatusCode(status).end(String.valueOf(done.cause().getMessage()));
                            }
                        }))
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopServer()
            throws Exception
    {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aDocumentIsReadWhileItArrivesFromExactlyTheBytesSpooled()
            throws Exception
    {
        byte[] body = randomBody(3 * 1024 * 1024);
        int half = body.length / 2;
        AtomicLong readSoFar = new AtomicLong();
        CountDownLatch readFirstHalf = new CountDownLatch(1);
        reader = in -> sha256Of(in, count -> {
            if (readSoFar.addAndGet(count) >= half) {
                readFirstHalf.countDown();
            }
        });
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers("Content-Length: " + body.length));
            out.write(body, 0, half);
            out.flush();
            // the second half is sent only once the reader has read the first: it reads while the body arrives
            assertThat(readFirstHalf.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the reader read the first half before the rest was sent").isTrue();
            out.write(body, half, body.length - half);
            out.flush();
            assertThat(status(socket)).isEqualTo(201);
        }
        BodySpooler.Read<String> read = result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(read.value()).isEqualTo(sha256(body));
        assertThat(read.document().sha256()).isEqualTo(sha256(body));
        assertThat(read.document().size()).isEqualTo(body.length);
        // the caller deletes the file once it stored the document
        assertThat(Files.readAllBytes(read.document().file())).isEqualTo(body);
        Files.delete(read.document().file());
    }

    @Test
    void aChunkedBodyIsReadToItsEnd()
            throws Exception
    {
        byte[] body = randomBody(1_500_000);
        reader = in -> sha256Of(in, count -> {});
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers("Transfer-Encoding: chunked"));
            for (int offset = 0; offset < body.length; offset += 100_000) {
                int length = Math.min(100_000, body.length - offset);
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, offset, length);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(status(socket)).isEqualTo(201);
        }
        BodySpooler.Read<String> read = result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(read.value()).isEqualTo(sha256(body)).isEqualTo(read.document().sha256());
        Files.delete(read.document().file());
    }

    @Test
    void aClientThatStopsSendingLeavesTheBodyToBeReadFromTheFile()
            throws Exception
    {
        byte[] body = randomBody(1_000_000);
        List<String> attempts = new CopyOnWriteArrayList<>();
        CountDownLatch gaveUp = new CountDownLatch(1);
        reader = in -> {
            try {
                String sha = sha256Of(in, count -> {});
                attempts.add("read " + sha);
                return sha;
            }
            catch (UncheckedIOException e) {
                attempts.add("failed: " + e.getCause().getMessage());
                gaveUp.countDown();
                throw e;
            }
        };
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers("Content-Length: " + body.length));
            out.write(body, 0, 1000);
            out.flush();
            assertThat(gaveUp.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            out.write(body, 1000, body.length - 1000);
            out.flush();
            assertThat(status(socket)).isEqualTo(201);
        }
        BodySpooler.Read<String> read = result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(read.value()).isEqualTo(sha256(body));
        assertThat(attempts).containsExactly("failed: no byte of the request body arrived for 300 ms while it was read", "read " + sha256(body));
        Files.delete(read.document().file());
    }

    @Test
    void aBodyBrokenOffFailsWithTheBodysErrorAndLeavesNoFile()
            throws Exception
    {
        byte[] body = randomBody(2_000_000);
        AtomicReference<String> readerSaw = new AtomicReference<>();
        CountDownLatch readSome = new CountDownLatch(1);
        reader = in -> {
            try {
                return sha256Of(in, count -> readSome.countDown());
            }
            catch (UncheckedIOException e) {
                readerSaw.set(e.getCause().getMessage());
                throw e;
            }
        };
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers("Content-Length: " + body.length));
            out.write(body, 0, body.length / 2);
            out.flush();
            assertThat(readSome.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(result).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(ApiException.class)
                .satisfies(error -> assertThat(((ApiException) error).status()).isEqualTo(400))
                .withMessageStartingWith("The request body could not be read: ");
        awaitNoSpoolFile();
        // the reader stops too, told why
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (readerSaw.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(readerSaw.get()).startsWith("the request body was not received completely: The request body could not be read: ");
    }

    @Test
    void anOversizedBodyIs413WhateverTheReaderMadeOfItsStart()
            throws Exception
    {
        byte[] body = randomBody((int) LIMIT + 500_000);
        // a reader that has read enough and is done: the body's refusal still wins
        reader = in -> "done";
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers("Transfer-Encoding: chunked"));
            try {
                for (int offset = 0; offset < body.length; offset += 100_000) {
                    int length = Math.min(100_000, body.length - offset);
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, offset, length);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            catch (IOException e) {
                // the server may answer and close before the client is done sending
            }
            assertThat(status(socket)).isEqualTo(413);
        }
        assertThat(result).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(ApiException.class)
                .withMessage("The request body is larger than this endpoint's limit of " + LIMIT + " bytes.");
        awaitNoSpoolFile();
    }

    @Test
    void aReadersFailureIsAnsweredOnceTheBodyIsAllThereAndLeavesNoFile()
            throws Exception
    {
        byte[] body = randomBody(1_000_000);
        CountDownLatch failed = new CountDownLatch(1);
        reader = in -> {
            failed.countDown();
            throw new IllegalArgumentException("not a document: it starts with random bytes");
        };
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers("Content-Length: " + body.length));
            out.write(body, 0, 1000);
            out.flush();
            assertThat(failed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // the reader failed; no answer comes before the rest of the body is sent
            assertThat(result).isNotDone();
            out.write(body, 1000, body.length - 1000);
            out.flush();
            assertThat(status(socket)).isEqualTo(422);
        }
        assertThat(result).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(IllegalArgumentException.class)
                .withMessage("not a document: it starts with random bytes");
        awaitNoSpoolFile();
    }

    @Test
    void aRefusedContentTypeStartsNoReader()
            throws Exception
    {
        AtomicLong readers = new AtomicLong();
        reader = in -> {
            readers.incrementAndGet();
            return "read";
        };
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /document HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 3\r\n\r\na,b").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(status(socket)).isEqualTo(415);
        }
        assertThat(readers.get()).isZero();
        awaitNoSpoolFile();
    }

    private Socket connect()
            throws IOException
    {
        Socket socket = new Socket("127.0.0.1", server.actualPort());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static byte[] headers(String framing)
    {
        return ("POST /document HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The status code of the answer on {@code socket}. */
    private static int status(Socket socket)
            throws IOException
    {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int next;
        while ((next = in.read()) >= 0 && next != '\n') {
            line.append((char) next);
        }
        String[] parts = line.toString().split(" ");
        assertThat(parts.length).as("status line '" + line + "'").isGreaterThan(1);
        return Integer.parseInt(parts[1]);
    }

    private void awaitNoSpoolFile()
            throws Exception
    {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (spoolFiles() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(spoolFiles()).isZero();
    }

    private long spoolFiles()
            throws IOException
    {
        if (!Files.isDirectory(spoolDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spoolDir)) {
            return files.count();
        }
    }

    private static byte[] randomBody(int size)
    {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        return body;
    }

    private static String sha256Of(InputStream in, java.util.function.LongConsumer progress)
    {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
                progress.accept(read);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes)
    {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
