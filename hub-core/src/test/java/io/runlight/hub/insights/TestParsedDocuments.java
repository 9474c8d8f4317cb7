package io.runlight.hub.insights;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.runlight.hub.store.BlobStore;
import io.runlight.hub.store.Database;
import io.runlight.hub.store.StoreConfig;
import io.runlight.insights.correlate.AnalysisPolicy;
import io.runlight.insights.correlate.ImageAnalyzer;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An SBOM parsed at ingest is indexed from that parse, once, for its own document and root
 * only; any other read comes from the blob table.
 */
class TestParsedDocuments
{
    private static final Path ALPINE = Path.of("src/test/resources/fixtures/sbom/alpine-3.17.2.syft.json");

    @TempDir
    Path dataDirectory;

    @Test
    void anSbomParsedAtIngestIsIndexedWithoutReadingItsBlobAgain()
            throws Exception
    {
        try (Database database = Database.open(StoreConfig.local(dataDirectory, List.of()))) {
            ParsedDocuments documents = new ParsedDocuments(new BlobStore(database), InputLimits.DEFAULT, new ImageAnalyzer(AnalysisPolicy.DEFAULT), 32, 128);
            Sbom parsed = read("/");
            // no such blob: only the hand-over can answer
            StoredDocument stored = new StoredDocument("sbom/sha256:not-stored/syft-json", "syft-json", "0".repeat(64), 1, Instant.EPOCH);

            documents.parsedAtIngest(stored, parsed);

            ParsedDocuments.IndexedSbom indexed = documents.sbom(stored);
            assertThat(indexed.sbom()).isSameAs(parsed);
            assertThat(documents.sbom(stored)).isSameAs(indexed);
        }
    }

    @Test
    void theHandOverServesOnlyItsOwnDocumentAndRoot()
            throws Exception
    {
        try (Database database = Database.open(StoreConfig.local(dataDirectory, List.of()))) {
            BlobStore blobs = new BlobStore(database);
            ParsedDocuments documents = new ParsedDocuments(blobs, InputLimits.DEFAULT, new ImageAnalyzer(AnalysisPolicy.DEFAULT), 32, 128);
            StoredDocument handedOver = new StoredDocument("sbom/sha256:handed-over/syft-json", "syft-json", "0".repeat(64), 1, Instant.EPOCH);
            documents.parsedAtIngest(handedOver, read("/"));

            StoredDocument otherRoot = handedOver.named(Optional.empty(), Optional.of("/app"));
            assertThatThrownBy(() -> documents.sbom(otherRoot))
                    .hasMessage("stored document 'sbom/sha256:handed-over/syft-json' is missing from the blob table: the database lost it or it was deleted by hand");

            String sha256;
            try (InputStream content = Files.newInputStream(ALPINE)) {
                sha256 = blobs.put("sbom/sha256:stored/syft-json", content);
            }
            StoredDocument stored = new StoredDocument("sbom/sha256:stored/syft-json", "syft-json", sha256, Files.size(ALPINE), Instant.EPOCH);
            assertThat(documents.sbom(stored).sbom().packages()).hasSameSizeAs(read("/").packages());
        }
    }

    private static Sbom read(String root)
            throws Exception
    {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(ALPINE))) {
            return new SbomReader(InputLimits.DEFAULT).read(in, root);
        }
    }
}
