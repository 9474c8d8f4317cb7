package io.runlight.hub.delivery;

import io.runlight.plugin.api.connector.Pusher;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * An integration that may push now, with its connector's (guarded) pusher.
 *
 * @param integrationId the integration
 * @param pluginId the plugin whose connector it uses
 * @param generation the plugin generation the pusher belongs to; a new generation means a new pusher
 * @param pusher the pusher; every call goes through the plugin's guarded call executor and may throw
 *        {@link io.runlight.hub.plugin.PluginCallException}
 */
public record PushTarget(String integrationId, String pluginId, long generation, Pusher pusher)
{
    public PushTarget
    {
        requireNonBlank(integrationId, "integrationId");
        requireNonBlank(pluginId, "pluginId");
        requireNonNull(pusher, "pusher is null");
    }
}
