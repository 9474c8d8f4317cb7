package io.runlight.hub.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestBlobStore
{
    private static final long FIFTY_MB = 50L * 1024 * 1024;

    @Test
    void streamsFiftyMegabytesInAndOut(@TempDir Path dataDirectory)
            throws Exception
    {
        try (Database database = Database.open(StoreConfig.local(dataDirectory, List.of()))) {
            BlobStore blobs = new BlobStore(database);
            String expected = sha256(new GeneratedStream(FIFTY_MB, 42));

            String stored;
            try (InputStream content = new GeneratedStream(FIFTY_MB, 42)) {
                stored = blobs.put("sbom/sha256:abc/syft", content);
            }

            assertThat(stored).isEqualTo(expected);
            assertThat(blobs.exists("sbom/sha256:abc/syft")).isTrue();
            Optional<InputStream> opened = blobs.open("sbom/sha256:abc/syft");
            assertThat(opened).isPresent();
            try (InputStream content = opened.get()) {
                CountingDigest read = CountingDigest.of(content);
                assertThat(read.size()).isEqualTo(FIFTY_MB);
                assertThat(read.sha256()).isEqualTo(expected);
            }
            assertThat(metadata(database, "sbom/sha256:abc/syft")).isEqualTo(expected + " " + FIFTY_MB);
        }
    }

    @Test
    void roundTripOnH2(@TempDir Path dataDirectory)
            throws Exception
    {
        try (Database database = Database.open(StoreConfig.local(dataDirectory, List.of()))) {
            exercise(database);
        }
    }

    /** Also run against PostgreSQL by {@link TestHubStorePostgres}. */
    static void exercise(Database database)
            throws Exception
    {
        BlobStore blobs = new BlobStore(database);
        byte[] first = "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8);
        byte[] second = new byte[300_000];
        for (int i = 0; i < second.length; i++) {
            second[i] = (byte) (i * 31);
        }

        assertThat(blobs.put("doc", new ByteArrayInputStream(first))).isEqualTo(sha256(new ByteArrayInputStream(first)));
        assertThat(read(blobs, "doc")).isEqualTo(first);
        // replacing keeps one row with the new content and digest
        assertThat(blobs.put("doc", new ByteArrayInputStream(second))).isEqualTo(sha256(new ByteArrayInputStream(second)));
        assertThat(read(blobs, "doc")).isEqualTo(second);
        assertThat(metadata(database, "doc")).isEqualTo(sha256(new ByteArrayInputStream(second)) + " 300000");
        assertThat(blobs.put("empty", new ByteArrayInputStream(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(read(blobs, "empty")).isEmpty();

        assertThat(blobs.open("missing")).isEmpty();
        assertThat(blobs.exists("missing")).isFalse();
        assertThat(blobs.delete("doc")).isTrue();
        assertThat(blobs.delete("doc")).isFalse();
        assertThat(blobs.exists("doc")).isFalse();
        assertThat(blobs.open("doc")).isEmpty();

        // streams closed and missing keys give their connections back
        for (int i = 0; i < Database.MAX_CONNECTIONS * 2; i++) {
            blobs.open("empty").orElseThrow().close();
            assertThat(blobs.open("missing")).isEmpty();
        }
        assertThat(database.ping()).isTrue();

        // a stream that fails half-way stores nothing
        assertThatThrownBy(() -> blobs.put("broken", new FailingStream()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot store a blob in table 'rl_blobs' of database '" + database.description() + "': ");
        assertThat(blobs.exists("broken")).isFalse();
        assertThatThrownBy(() -> blobs.put("", new ByteArrayInputStream(first)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A blob key must have 1 to 512 characters, not 0: use a shorter key (e.g. a digest)");
    }

    private static byte[] read(BlobStore blobs, String key)
            throws IOException
    {
        try (InputStream content = blobs.open(key).orElseThrow()) {
            return content.readAllBytes();
        }
    }

    private static String metadata(Database database, String key)
            throws java.sql.SQLException
    {
        try (java.sql.Connection connection = database.connection();
                java.sql.PreparedStatement statement = connection.prepareStatement("SELECT sha256, size_bytes FROM rl_blobs WHERE blob_key = ?")) {
            statement.setString(1, key);
            try (java.sql.ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).isTrue();
                return result.getString(1) + " " + result.getLong(2);
            }
        }
    }

    private static String sha256(InputStream content)
            throws IOException
    {
        return CountingDigest.of(content).sha256();
    }

    private record CountingDigest(String sha256, long size)
    {
        static CountingDigest of(InputStream content)
                throws IOException
        {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            }
            catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
                digest.update(buffer, 0, read);
                size += read;
            }
            return new CountingDigest(HexFormat.of().formatHex(digest.digest()), size);
        }
    }

    /** {@code size} pseudo-random bytes made on the fly (xorshift), the same for the same seed. */
    private static final class GeneratedStream
            extends InputStream
    {
        private long remaining;
        private long state;

        GeneratedStream(long size, long seed)
        {
            this.remaining = size;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        @Override
        public int read()
        {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
        {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(length, remaining);
            for (int i = 0; i < count; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                buffer[offset + i] = (byte) state;
            }
            remaining -= count;
            return count;
        }
    }

    /** Gives 100 000 bytes, then fails as a dropped upload would. */
    private static final class FailingStream
            extends InputStream
    {
        private int given;

        @Override
        public int read()
                throws IOException
        {
            if (given == 100_000) {
                throw new IOException("connection reset by peer");
            }
            given++;
            return 'x';
        }
    }
}
