package io.runlight.hub.http;

import io.runlight.hub.plugin.ConnectorInfo;
import io.runlight.hub.plugin.PluginHost;
import io.runlight.hub.plugin.PluginInfo;
import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /api/v1/plugins}: every jar of the plugins folder, loaded, refused or
 * failed, with its reason and its connectors. It reads the host's snapshot, so it
 * never runs plugin code or blocks the event loop.
 */
public final class PluginHandlers
{
    private final PluginHost plugins;

    public PluginHandlers(PluginHost plugins)
    {
        this.plugins = requireNonNull(plugins, "plugins is null");
    }

    public void list(RoutingContext context)
    {
        JsonArray body = new JsonArray();
        // the host keeps them sorted by id, then jar
        for (PluginInfo plugin : plugins.plugins()) {
            body.add(plugin(plugin));
        }
        ReadHandlers.json(context, 200, body);
    }

    static JsonObject plugin(PluginInfo plugin)
    {
        JsonObject json = new JsonObject()
                .put("id", plugin.id())
                .put("version", plugin.version())
                .put("provider", plugin.provider())
                .put("description", plugin.description())
                .put("jar", plugin.jar())
                .put("state", plugin.state().name())
                .put("generation", plugin.generation());
        plugin.error().ifPresent(error -> json.put("error", error));
        JsonArray connectors = new JsonArray();
        for (ConnectorInfo connector : plugin.connectors()) {
            connectors.add(connector(connector));
        }
        return json.put("connectors", connectors);
    }

    private static JsonObject connector(ConnectorInfo connector)
    {
        JsonArray capabilities = new JsonArray();
        for (Capability capability : connector.capabilities()) {
            capabilities.add(capability.name());
        }
        JsonArray properties = new JsonArray();
        for (ConfigProperty property : connector.configProperties()) {
            JsonObject json = new JsonObject()
                    .put("name", property.name())
                    .put("type", property.type().name());
            // a default is shown only for properties that are not secret
            property.defaultValue().filter(value -> !property.secret()).ifPresent(value -> json.put("default", value));
            properties.add(json
                    .put("required", property.required())
                    .put("secret", property.secret())
                    .put("description", property.description()));
        }
        return new JsonObject()
                .put("id", connector.id())
                .put("displayName", connector.displayName())
                .put("description", connector.description())
                .put("capabilities", capabilities)
                .put("configProperties", properties);
    }
}
