package io.runlight.hub.plugin;

import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PackageFirstUse;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;

import static java.util.Objects.requireNonNull;

/**
 * The hub's face of a plugin's {@link Pusher}: every method runs through the plugin's
 * {@link PluginCalls}, and results are copied inside the call so lazy plugin
 * collections are read under the plugin's class loader and timeout.
 */
final class GuardedPusher
        implements Pusher
{
    private final PluginCalls.Held<Pusher> target;
    private final String connectorId;

    GuardedPusher(PluginCalls.Held<Pusher> target, String connectorId)
    {
        this.target = requireNonNull(target, "target is null");
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
    }

    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        requireNonNull(change, "change is null");
        String operation = operation("translate");
        Pusher pusher = target.get(operation);
        return target.calls().call(operation, () -> List.copyOf(pusher.translate(change)));
    }

    @Override
    public List<PushMessage> translateFirstUse(PackageFirstUse event)
    {
        requireNonNull(event, "event is null");
        String operation = operation("translateFirstUse");
        Pusher pusher = target.get(operation);
        return target.calls().call(operation, () -> List.copyOf(pusher.translateFirstUse(event)));
    }

    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        requireNonNull(message, "message is null");
        requireNonNull(attempt, "attempt is null");
        String operation = operation("prepare");
        Pusher pusher = target.get(operation);
        return target.calls().call(operation, () -> requireNonNull(pusher.prepare(message, attempt), "prepare() returned null"));
    }

    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        requireNonNull(message, "message is null");
        requireNonNull(request, "request is null");
        requireNonNull(response, "response is null");
        String operation = operation("interpret");
        Pusher pusher = target.get(operation);
        return target.calls().call(operation, () -> requireNonNull(pusher.interpret(message, request, response), "interpret() returned null"));
    }

    @Override
    public Optional<OutboundRequest> connectionTest()
    {
        String operation = operation("connectionTest");
        Pusher pusher = target.get(operation);
        return target.calls().call(operation, () -> requireNonNull(pusher.connectionTest(), "connectionTest() returned null instead of Optional.empty()"));
    }

    @Override
    public int maxConcurrentRequests()
    {
        String operation = operation("maxConcurrentRequests");
        Pusher pusher = target.get(operation);
        return target.calls().call(operation, pusher::maxConcurrentRequests);
    }

    void release()
    {
        target.release();
    }

    private String operation(String method)
    {
        return "Pusher.%s (connector '%s')".formatted(method, connectorId);
    }
}
