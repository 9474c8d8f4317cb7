package io.runlight.hub.token;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored shape of token records, pinned by the golden files of {@code src/test/resources/stored/tokens/}. */
class TestTokenRecordCodec
{
    private static final TokenRecord INTEGRATION_TOKEN = new TokenRecord("tok_1", "snyk prod", TokenScope.INTEGRATION, Optional.of("int_7"),
            "ab12", "rlt_AbCd", Instant.parse("2026-11-28T12:00:00Z"), Instant.parse("2027-02-28T12:00:00Z"),
            Optional.of(Instant.parse("2026-12-01T08:00:00Z")));
    private static final TokenRecord INGEST_TOKEN = new TokenRecord("tok_2", "ci", TokenScope.INGEST, Optional.empty(),
            "cd34", "rlt_XyZ0", Instant.parse("2026-11-28T12:00:00Z"), Instant.parse("2026-12-28T12:00:00Z"), Optional.empty());

    @Test
    void writesTheStoredShape()
    {
        assertThat(TokenRecordCodec.toJson(INTEGRATION_TOKEN)).isEqualTo(golden("integration-token.json"));
        assertThat(TokenRecordCodec.toJson(INGEST_TOKEN)).isEqualTo(golden("ingest-token.json"));
    }

    @Test
    void readsTheStoredShape()
    {
        assertThat(TokenRecordCodec.fromJson(golden("integration-token.json"))).isEqualTo(INTEGRATION_TOKEN);
        assertThat(TokenRecordCodec.fromJson(golden("ingest-token.json"))).isEqualTo(INGEST_TOKEN);
    }

    @Test
    void readsTheHandWrittenShapeOfEarlierVersions()
    {
        // empty fields were left out, and a field a newer member added is ignored
        assertThat(TokenRecordCodec.fromJson(golden("integration-token.v0.json"))).isEqualTo(INTEGRATION_TOKEN);
        assertThat(TokenRecordCodec.fromJson(golden("ingest-token.v0.json"))).isEqualTo(INGEST_TOKEN);
    }

    @Test
    void corruptValuesNameTheProblem()
    {
        assertThatThrownBy(() -> TokenRecordCodec.fromJson("{not json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The 'tokens' map holds a value that is not a token record: Cannot decode a 'TokenRecord' from JSON at line 1, column 2: "
                        + "the document is malformed or does not fit the type");
        assertThatThrownBy(() -> TokenRecordCodec.fromJson("{\"id\":\"tok_3\",\"name\":\"x\"}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The 'tokens' map holds a value that is not a token record: Cannot decode a 'TokenRecord' from JSON at line 1, column 25: scope is null");
    }

    private static String golden(String name)
    {
        try (InputStream in = TestTokenRecordCodec.class.getResourceAsStream("/stored/tokens/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
