package io.runlight.hub.token;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTokenRecordCodec
{
    @Test
    void writesAndReadsAnIntegrationToken()
    {
        TokenRecord token = new TokenRecord("tok_1", "snyk prod", TokenScope.INTEGRATION, Optional.of("int_7"),
                "ab12", "rlt_AbCd", Instant.parse("2026-11-28T12:00:00Z"), Instant.parse("2027-02-28T12:00:00Z"),
                Optional.of(Instant.parse("2026-12-01T08:00:00Z")));

        String json = TokenRecordCodec.toJson(token);

        assertThat(json).isEqualTo("{\"id\":\"tok_1\",\"name\":\"snyk prod\",\"scope\":\"INTEGRATION\",\"integrationId\":\"int_7\","
                + "\"hash\":\"ab12\",\"prefix\":\"rlt_AbCd\",\"createdAt\":\"2026-11-28T12:00:00Z\",\"expiresAt\":\"2027-02-28T12:00:00Z\","
                + "\"lastUsedAt\":\"2026-12-01T08:00:00Z\"}");
        assertThat(TokenRecordCodec.fromJson(json)).isEqualTo(token);
    }

    @Test
    void writesAndReadsAnIngestTokenWithoutOptionalFields()
    {
        TokenRecord token = new TokenRecord("tok_2", "ci", TokenScope.INGEST, Optional.empty(),
                "cd34", "rlt_XyZ0", Instant.parse("2026-11-28T12:00:00Z"), Instant.parse("2026-12-28T12:00:00Z"), Optional.empty());

        String json = TokenRecordCodec.toJson(token);

        assertThat(json).isEqualTo("{\"id\":\"tok_2\",\"name\":\"ci\",\"scope\":\"INGEST\",\"hash\":\"cd34\",\"prefix\":\"rlt_XyZ0\","
                + "\"createdAt\":\"2026-11-28T12:00:00Z\",\"expiresAt\":\"2026-12-28T12:00:00Z\"}");
        assertThat(TokenRecordCodec.fromJson(json)).isEqualTo(token);
        assertThat(TokenRecordCodec.fromJson(json.replace("}", ",\"addedLater\":1}"))).isEqualTo(token);
    }

    @Test
    void corruptValuesNameTheProblem()
    {
        assertThatThrownBy(() -> TokenRecordCodec.fromJson("{not json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a stored token record is not valid JSON: the 'tokens' map holds corrupt data");
        assertThatThrownBy(() -> TokenRecordCodec.fromJson("{\"id\":\"tok_3\",\"name\":\"x\"}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("stored token 'tok_3' has no text field 'scope'");
    }
}
