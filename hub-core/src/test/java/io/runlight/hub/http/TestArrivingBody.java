package io.runlight.hub.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stream of a body being spooled: it gives exactly the bytes written from the start up to
 * the first gap, whatever order the writes complete in, ends where the body ended, and fails
 * when the body fails or stops arriving.
 */
final class TestArrivingBody
{
    private static final Duration LONG = Duration.ofMinutes(1);

    @TempDir
    Path folder;

    @Test
    void readsExactlyTheBytesWrittenWhateverOrderTheWritesCompleteIn()
            throws Exception
    {
        Random random = new Random(14);
        for (int round = 0; round < 50; round++) {
            byte[] body = new byte[random.nextInt(200_000)];
            random.nextBytes(body);
            Path file = Files.write(folder.resolve("body-" + round), body);
            ArrivingBody arriving = new ArrivingBody(LONG);
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(arriving));
            // writes of random sizes, reported in a shuffled order
            int[] cuts = random.ints(random.nextInt(20), 0, body.length + 1).sorted().toArray();
            long[][] writes = new long[cuts.length + 1][];
            long start = 0;
            for (int i = 0; i < cuts.length; i++) {
                writes[i] = new long[] {start, cuts[i]};
                start = cuts[i];
            }
            writes[cuts.length] = new long[] {start, body.length};
            shuffle(writes, random);
            arriving.opened(file);
            if (random.nextBoolean()) {
                // the end may be reported before the last writes are
                arriving.ended(body.length);
            }
            for (long[] write : writes) {
                arriving.written(write[0], write[1]);
            }
            arriving.ended(body.length);
            assertThat(read.get(1, TimeUnit.MINUTES)).isEqualTo(body);
        }
    }

    @Test
    void aReaderSeesNoByteBeyondTheFirstGap()
            throws Exception
    {
        byte[] body = new byte[1000];
        Arrays.fill(body, (byte) 'x');
        ArrivingBody arriving = new ArrivingBody(Duration.ofMillis(200));
        arriving.opened(Files.write(folder.resolve("body"), body));
        arriving.written(500, 1000);
        try (InputStream in = arriving.stream()) {
            // bytes 0-499 are not written yet: the reader waits, then gives up
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("no byte of the request body arrived for 200 ms while it was read");
            assertThat(arriving.gaveUp()).isTrue();
        }
        // fewer bytes than a reader waits for, and no more for the stall time: the reader takes those
        ArrivingBody other = new ArrivingBody(Duration.ofMillis(200));
        other.opened(folder.resolve("body"));
        other.written(500, 1000);
        other.written(0, 300);
        other.ended(1000);
        try (InputStream in = other.stream()) {
            assertThat(in.readNBytes(300)).hasSize(300);
            other.written(300, 500);
            assertThat(in.readAllBytes()).hasSize(700);
        }
        assertThat(other.gaveUp()).isFalse();
    }

    @Test
    void aFailedBodyFailsItsReaderWithTheCause()
            throws Exception
    {
        ArrivingBody arriving = new ArrivingBody(LONG);
        arriving.opened(Files.write(folder.resolve("body"), new byte[100]));
        arriving.written(0, 50);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(arriving));
        arriving.failed(ApiException.badRequest("The request body could not be read: Connection was closed"));
        assertThat(read).failsWithin(Duration.ofMinutes(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingRootCause()
                .isInstanceOf(ApiException.class)
                .withMessage("The request body could not be read: Connection was closed");
        assertThat(arriving.gaveUp()).isFalse();
    }

    @Test
    void anEmptyBodyEndsAtOnce()
            throws Exception
    {
        ArrivingBody arriving = new ArrivingBody(LONG);
        arriving.opened(Files.write(folder.resolve("body"), new byte[0]));
        arriving.ended(0);
        try (InputStream in = arriving.stream()) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private static byte[] readAll(ArrivingBody arriving)
    {
        try (InputStream in = arriving.stream()) {
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void shuffle(long[][] items, Random random)
    {
        for (int i = items.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long[] swap = items[i];
            items[i] = items[j];
            items[j] = swap;
        }
    }
}
