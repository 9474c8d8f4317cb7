package io.runlight.connector.scout;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;

import static java.util.Objects.requireNonNull;

/**
 * The push side of the Docker Scout connector.
 *
 * <p>{@link #translate} turns an image's change into messages whose payload is the exact
 * body to send: environment lists, exceptions to add and to remove, and (with
 * {@code vexUrl}) the OpenVEX document. {@link #prepare} adds a fresh JWT, or sends the
 * Docker Hub login instead when none is cached; {@link #interpret} keeps the token and
 * asks for a resend, keeps the exception ids Scout returns, and reads GraphQL errors
 * hidden in 200 responses.
 */
final class ScoutPusher
        implements Pusher
{
    static final String GRAPHQL_PURPOSE = "graphql";
    private static final System.Logger log = System.getLogger(ScoutPusher.class.getName());

    private final ScoutConfig config;
    private final ConnectorContext context;
    private final ObjectMapper mapper;
    private final HubLogin login;
    private final EnvironmentAssignments environments;
    private final VexExceptions exceptions;
    private final OpenVexPublication openVex;

    ScoutPusher(ScoutConfig config, ConnectorContext context)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.mapper = new ObjectMapper();
        ScoutGraphql graphql = new ScoutGraphql(mapper, config.organization());
        this.login = new HubLogin(config, context.state(), mapper);
        this.environments = new EnvironmentAssignments(config, context.state(), mapper, graphql);
        this.exceptions = new VexExceptions(config, context.state(), graphql);
        this.openVex = new OpenVexPublication(config, context.insights(), mapper);
    }

    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        requireNonNull(change, "change is null");
        List<PushMessage> messages = new ArrayList<>(exceptions.removals(change));
        Optional<ImageCoordinates> image = ImageCoordinates.of(change, config.organization());
        if (image.isEmpty()) {
            log.log(System.Logger.Level.WARNING, "Image ''{0}'' has no repository name: Docker Scout integration ''{1}'' cannot assign it or record exceptions for it",
                    change.insights().digest(), context.integrationName());
            return List.copyOf(messages);
        }
        messages.addAll(environments.translate(change, image.get()));
        messages.addAll(exceptions.additions(change, image.get()));
        messages.addAll(openVex.translate(change, image.get()));
        return List.copyOf(messages);
    }

    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        requireNonNull(message, "message is null");
        requireNonNull(attempt, "attempt is null");
        MessageKind kind = kind(message);
        if (!kind.graphql()) {
            return openVex.request(message);
        }
        Optional<String> token = login.validToken(context.clock().instant());
        if (token.isEmpty()) {
            return login.request();
        }
        return OutboundRequest.builder("POST", config.graphqlUri())
                .header("Authorization", "Bearer " + token.get())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .body(message.payload())
                .purpose(GRAPHQL_PURPOSE)
                .build();
    }

    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        requireNonNull(message, "message is null");
        requireNonNull(request, "request is null");
        requireNonNull(response, "response is null");
        Instant now = context.clock().instant();
        if (request.purpose().equals(HubLogin.PURPOSE)) {
            return login.interpret(response, now);
        }
        if (!request.purpose().equals(GRAPHQL_PURPOSE)) {
            return response.defaultOutcome(now);
        }
        if (response.status() == 401) {
            return login.unauthorized(response);
        }
        login.accepted();
        if (!response.isSuccess()) {
            return response.defaultOutcome(now);
        }
        JsonNode body;
        try {
            body = mapper.readTree(response.body().toArray());
        }
        catch (IOException notJson) {
            return DeliveryOutcome.failed("Docker Scout answered HTTP " + response.status() + " with a body that is not JSON" + excerpt(response));
        }
        if (body == null || !body.isObject()) {
            return DeliveryOutcome.failed("Docker Scout answered HTTP " + response.status() + " without a GraphQL result" + excerpt(response));
        }
        MessageKind kind = kind(message);
        List<String> errors = errors(body);
        if (!errors.isEmpty()) {
            return graphqlErrors(message, kind, errors);
        }
        switch (kind) {
            case ENVIRONMENT -> environments.delivered(message);
            case ADD_EXCEPTION -> {
                JsonNode id = body.path("data").path("addVulnerabilityException").path("exception").path("id");
                if (!id.isValueNode() || id.asText().isBlank()) {
                    return DeliveryOutcome.failed("Docker Scout added exception '" + message.key() + "' but returned no exception id" + excerpt(response));
                }
                exceptions.added(message, id.asText());
            }
            case REMOVE_EXCEPTION -> exceptions.removed(message);
            case OPENVEX -> throw new IllegalStateException("OpenVEX message '" + message.key() + "' was sent to Docker Scout's GraphQL endpoint");
        }
        return DeliveryOutcome.delivered();
    }

    @Override
    public Optional<OutboundRequest> connectionTest()
    {
        // the login checks the URL, the user and the access token at once
        return Optional.of(login.request());
    }

    @Override
    public int maxConcurrentRequests()
    {
        // one at a time: logins are not raced and an environment's lists arrive in order
        return 1;
    }

    private DeliveryOutcome graphqlErrors(PushMessage message, MessageKind kind, List<String> errors)
    {
        String joined = String.join("; ", errors);
        if (joined.toLowerCase(Locale.ROOT).contains("unavailable")) {
            return DeliveryOutcome.retry("Docker Scout is unavailable: " + joined);
        }
        if (kind == MessageKind.REMOVE_EXCEPTION && joined.toLowerCase(Locale.ROOT).contains("not found")) {
            // removed already (for example by hand in Scout's console): nothing is left to remove
            exceptions.removed(message);
            return DeliveryOutcome.delivered();
        }
        return DeliveryOutcome.failed("Docker Scout refused " + describe(kind) + " '" + message.key() + "' of organization '" + config.organization() + "': " + joined);
    }

    private static List<String> errors(JsonNode body)
    {
        JsonNode errors = body.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode error : errors) {
            String text = error.path("message").asText("");
            String code = error.path("extensions").path("code").asText("");
            if (text.isEmpty()) {
                text = error.toString();
            }
            messages.add(code.isEmpty() ? text : text + " (" + code + ")");
        }
        return messages;
    }

    private static String describe(MessageKind kind)
    {
        return switch (kind) {
            case ENVIRONMENT -> "setStreamImages";
            case ADD_EXCEPTION -> "addVulnerabilityException";
            case REMOVE_EXCEPTION -> "removeVulnerabilityException";
            case OPENVEX -> "OpenVEX document";
        };
    }

    private static MessageKind kind(PushMessage message)
    {
        String kind = message.attributes().get(MessageKind.ATTRIBUTE);
        if (kind == null) {
            throw new IllegalArgumentException("message '" + message.key() + "' was not made by the Docker Scout connector: it has no 'kind' attribute");
        }
        return MessageKind.valueOf(kind);
    }

    /** ": " and the start of the body, or nothing for an empty body. */
    private static String excerpt(InboundResponse response)
    {
        String excerpt = response.excerpt();
        if (excerpt.isEmpty()) {
            return "";
        }
        return ": " + excerpt;
    }
}
