package io.runlight.hub.integration;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.plugin.LoadedConnector;
import io.runlight.hub.plugin.PluginCallException;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.Route;

import static java.util.Objects.requireNonNull;

/**
 * This member's connector instances, one per integration and plugin generation: created
 * on first use through the plugin's guarded factory, kept while the plugin generation
 * stays loaded, and closed when the plugin stops or the integration is updated, paused or
 * deleted. Every method may call plugin code and block up to its timeout: call from
 * workers only.
 * <p>
 * The routes of every connector created here are remembered (also after it is closed, until
 * its integration changes), so that a request without a token to a served path can be
 * told 401 rather than 404.
 */
final class ConnectorInstances
{
    private static final Logger log = LoggerFactory.getLogger(ConnectorInstances.class);

    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Set<Route>> knownRoutes = new ConcurrentHashMap<>();

    /**
     * One live connector.
     *
     * @param config the integration's configuration it was created with
     */
    record Instance(String integrationId, LoadedConnector loaded, Map<String, Object> config, Connector connector, List<Route> routes)
    {
        Instance
        {
            requireNonNull(integrationId, "integrationId is null");
            requireNonNull(loaded, "loaded is null");
            requireNonNull(config, "config is null");
            requireNonNull(connector, "connector is null");
            routes = List.copyOf(routes);
        }

        /**
         * Whether this instance is the one to use for {@code current} and {@code config}: an integration
         * changed on another member is changed here by its new configuration, not by a close on this member.
         */
        boolean isCurrent(LoadedConnector current, Map<String, Object> config)
        {
            return loaded.pluginId().equals(current.pluginId()) && loaded.generation() == current.generation() && loaded.calls().isOpen()
                    && this.config.equals(config);
        }

        /** The declared route of this method and path, if any. */
        Optional<Route> route(String method, String path)
        {
            for (Route route : routes) {
                if (route.matches(method, path)) {
                    return Optional.of(route);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The instance of an integration for the given loaded connector and configuration, created if
     * there is none for this generation and configuration (an instance of an older generation or
     * configuration is closed first).
     *
     * @param create creates the guarded connector; may throw {@link PluginCallException} or {@link InvalidConfigException}
     */
    Instance obtain(String integrationId, LoadedConnector loaded, Map<String, Object> config, Function<LoadedConnector, Connector> create)
    {
        Instance existing = instances.get(integrationId);
        if (existing != null && existing.isCurrent(loaded, config)) {
            return existing;
        }
        synchronized (locks.computeIfAbsent(integrationId, key -> new Object())) {
            existing = instances.get(integrationId);
            if (existing != null && existing.isCurrent(loaded, config)) {
                return existing;
            }
            if (existing != null) {
                instances.remove(integrationId, existing);
                closeQuietly(existing, existing.config().equals(config) ? "its plugin generation changed" : "its configuration changed");
            }
            Connector connector = create.apply(loaded);
            List<Route> routes;
            try {
                routes = connector.routes();
            }
            catch (RuntimeException e) {
                closeQuietly(new Instance(integrationId, loaded, config, connector, List.of()), "it could not list its routes");
                throw e;
            }
            Instance created = new Instance(integrationId, loaded, config, connector, routes);
            instances.put(integrationId, created);
            knownRoutes.put(integrationId, Set.copyOf(routes));
            log.debug("Created the connector of integration '{}' (plugin '{}' generation {}, {} routes)", integrationId, loaded.pluginId(), loaded.generation(),
                    routes.size());
            return created;
        }
    }

    /** Closes and drops the integration's instance, if any; keeps its known routes unless {@code forgetRoutes}. */
    void close(String integrationId, String why, boolean forgetRoutes)
    {
        synchronized (locks.computeIfAbsent(integrationId, key -> new Object())) {
            Instance instance = instances.remove(integrationId);
            if (instance != null) {
                closeQuietly(instance, why);
            }
            if (forgetRoutes) {
                knownRoutes.remove(integrationId);
                locks.remove(integrationId);
            }
        }
    }

    /** Closes and drops every instance of a plugin (it is stopping). */
    void closePlugin(String pluginId, String why)
    {
        for (Instance instance : List.copyOf(instances.values())) {
            if (instance.loaded().pluginId().equals(pluginId)) {
                synchronized (locks.computeIfAbsent(instance.integrationId(), key -> new Object())) {
                    if (instances.remove(instance.integrationId(), instance)) {
                        closeQuietly(instance, why);
                    }
                }
            }
        }
    }

    /** Whether a connector created on this member declared this method and path. */
    boolean isKnownRoute(String method, String path)
    {
        for (Set<Route> routes : knownRoutes.values()) {
            for (Route route : routes) {
                if (route.matches(method, path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The routes the connectors created on this member declared, of every integration. */
    Set<Route> knownRoutes()
    {
        Set<Route> all = new HashSet<>();
        knownRoutes.values().forEach(all::addAll);
        return Set.copyOf(all);
    }

    /** Closes every instance (the hub is stopping). */
    void closeAll()
    {
        for (String integrationId : List.copyOf(instances.keySet())) {
            close(integrationId, "the hub is stopping", false);
        }
    }

    /** The integration's instance for this loaded connector and configuration if it exists; never creates one, never blocks. */
    Optional<Instance> existing(String integrationId, LoadedConnector loaded, Map<String, Object> config)
    {
        Instance existing = instances.get(integrationId);
        return existing != null && existing.isCurrent(loaded, config) ? Optional.of(existing) : Optional.empty();
    }

    Optional<Instance> current(String integrationId)
    {
        return Optional.ofNullable(instances.get(integrationId));
    }

    private static void closeQuietly(Instance instance, String why)
    {
        try {
            instance.connector().close();
            log.debug("Closed the connector of integration '{}': {}", instance.integrationId(), why);
        }
        catch (PluginCallException e) {
            // the plugin's fault, and the host closes what is left when it unloads the plugin: note it and go on
            log.warn("The connector of integration '{}' did not close cleanly ({}): {}", instance.integrationId(), why, e.getMessage());
        }
    }
}
