package io.runlight.hub.plugin;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;

import static java.util.Objects.requireNonNull;

/**
 * The hub's face of one integration's plugin {@link Connector}: every method runs
 * through the plugin's {@link PluginCalls}. Its pusher is asked for once and kept.
 */
final class GuardedConnector
        implements Connector
{
    private final PluginCalls.Held<Connector> target;
    private final String connectorId;
    private final Consumer<GuardedConnector> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Optional<Pusher> pusher;

    GuardedConnector(PluginCalls.Held<Connector> target, String connectorId, Consumer<GuardedConnector> onClose)
    {
        this.target = requireNonNull(target, "target is null");
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    @Override
    public Optional<Pusher> pusher()
    {
        Optional<Pusher> known = pusher;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (pusher == null) {
                String operation = operation("pusher");
                Connector connector = target.get(operation);
                PluginCalls calls = target.calls();
                Optional<Pusher> found = calls.call(operation, () -> requireNonNull(connector.pusher(), "pusher() returned null instead of Optional.empty()"));
                pusher = found.map(value -> new GuardedPusher(calls.hold(value), connectorId));
            }
            return pusher;
        }
    }

    @Override
    public List<Route> routes()
    {
        String operation = operation("routes");
        Connector connector = target.get(operation);
        return target.calls().call(operation, () -> List.copyOf(connector.routes()));
    }

    @Override
    public ServeResponse serve(ServeRequest request)
    {
        requireNonNull(request, "request is null");
        String operation = operation("serve");
        Connector connector = target.get(operation);
        return target.calls().call(operation, () -> requireNonNull(connector.serve(request), "serve() returned null"));
    }

    /** Closes the plugin's connector (within the call timeout) and lets go of it; later calls fail. */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            String operation = operation("close");
            Connector connector = target.get(operation);
            target.calls().run(operation, connector::close);
        }
        finally {
            Optional<Pusher> known = pusher;
            if (known != null) {
                known.ifPresent(value -> ((GuardedPusher) value).release());
            }
            target.release();
            onClose.accept(this);
        }
    }

    private String operation(String method)
    {
        return "Connector.%s (connector '%s')".formatted(method, connectorId);
    }
}
