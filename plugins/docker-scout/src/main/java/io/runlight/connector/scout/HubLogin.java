package io.runlight.connector.scout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runlight.plugin.api.connector.ConnectorState;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.OutboundRequest;

import static java.util.Objects.requireNonNull;

/**
 * The Docker Hub login and the JWT it returns, cached in the integration's state (so
 * every hub member and every restart shares it). A cached token is used until less
 * than {@link #REFRESH_MARGIN} of its lifetime ({@code exp} claim) remains.
 */
final class HubLogin
{
    static final String PURPOSE = "login";
    static final String JWT_KEY = "jwt";
    /** Set after Scout rejected a token, so that a second 401 in a row is retried rather than resent. */
    static final String REJECTED_KEY = "jwt.rejected";
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private final ScoutConfig config;
    private final ConnectorState state;
    private final ObjectMapper mapper;

    HubLogin(ScoutConfig config, ConnectorState state, ObjectMapper mapper)
    {
        this.config = requireNonNull(config, "config is null");
        this.state = requireNonNull(state, "state is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** The cached token, if it is still good for at least the refresh margin at {@code now}. */
    Optional<String> validToken(Instant now)
    {
        Optional<String> token = state.get(JWT_KEY).filter(value -> !value.isBlank());
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> expiry = expiry(token.get());
        if (expiry.isPresent() && !now.plus(REFRESH_MARGIN).isBefore(expiry.get())) {
            return Optional.empty();
        }
        // a token whose exp cannot be read is used until Scout rejects it (401)
        return token;
    }

    /** {@code POST <hubUrl>/v2/users/login} with the user name and access token. */
    OutboundRequest request()
    {
        ObjectNode body = mapper.createObjectNode();
        body.put("username", config.username());
        body.put("password", config.accessToken());
        try {
            return OutboundRequest.builder("POST", config.loginUri())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .body(mapper.writeValueAsBytes(body))
                    .purpose(PURPOSE)
                    .build();
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot write the Docker Hub login body", e);
        }
    }

    /** Reads the login response: keeps the token and asks for the message to be sent again. */
    DeliveryOutcome interpret(InboundResponse response, Instant now)
    {
        if (response.status() == 401 || response.status() == 403) {
            return DeliveryOutcome.failed("Docker Hub refused the credentials of user '" + config.username() + "'");
        }
        if (!response.isSuccess()) {
            return response.defaultOutcome(now);
        }
        Optional<String> token = readToken(response.body().toArray());
        if (token.isEmpty()) {
            return DeliveryOutcome.failed("Docker Hub login of user '" + config.username() + "' answered HTTP " + response.status() + " without a token");
        }
        state.put(JWT_KEY, token.get());
        return DeliveryOutcome.resend("logged in to Docker Hub as '" + config.username() + "'");
    }

    /**
     * Scout answered 401: forget the token. The first time the message is sent again at
     * once (with a new login); if the token was rejected just before as well, it is
     * retried later with backoff instead.
     */
    DeliveryOutcome unauthorized(InboundResponse response)
    {
        state.remove(JWT_KEY);
        if (state.get(REJECTED_KEY).isPresent()) {
            state.remove(REJECTED_KEY);
            return DeliveryOutcome.retry("Docker Scout rejected a fresh token of user '" + config.username() + "' (" + response.summary() + ")");
        }
        state.put(REJECTED_KEY, "true");
        return DeliveryOutcome.resend("Docker Scout rejected the token of user '" + config.username() + "' (HTTP 401): logging in again");
    }

    /** Scout answered something other than 401: the token works. */
    void accepted()
    {
        if (state.get(REJECTED_KEY).isPresent()) {
            state.remove(REJECTED_KEY);
        }
    }

    private Optional<String> readToken(byte[] body)
    {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.path("token").isTextual() || node.path("token").asText().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(node.path("token").asText());
        }
        catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** The {@code exp} claim of a JWT: the payload is the base64url middle part. */
    Optional<Instant> expiry(String jwt)
    {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(stripPadding(parts[1]));
            JsonNode exp = mapper.readTree(new String(payload, StandardCharsets.UTF_8)).path("exp");
            if (!exp.isNumber()) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochSecond(exp.asLong()));
        }
        catch (IllegalArgumentException | IOException unreadable) {
            return Optional.empty();
        }
    }

    private static String stripPadding(String text)
    {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        return text.substring(0, end);
    }
}
