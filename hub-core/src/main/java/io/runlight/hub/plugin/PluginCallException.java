package io.runlight.hub.plugin;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

import static java.util.Objects.requireNonNull;

/**
 * A call into plugin code that did not return normally. The hub catches it where it
 * called the plugin, marks the integration or plugin as failed with {@link #getMessage()}
 * and carries on: one broken plugin never stops the hub.
 */
public final class PluginCallException
        extends RuntimeException
        implements HubFailure
{
    /** Why the call failed. */
    public enum Category
    {
        /** The plugin code threw an exception. */
        THREW,
        /** The plugin code did not return within the call's timeout; its thread was interrupted and abandoned. */
        TIMED_OUT,
        /** The plugin code failed to link (a missing class or method, a class-loader conflict). */
        LINKAGE,
        /** The plugin cannot be called: it was unloaded, the host is closed, or all of its call slots are taken by calls that do not return. */
        UNAVAILABLE
    }

    private final Category category;
    private final String pluginId;
    private final String operation;

    public PluginCallException(Category category, String pluginId, String operation, String message, Throwable cause)
    {
        super(message, cause);
        this.category = requireNonNull(category, "category is null");
        this.pluginId = requireNonNull(pluginId, "pluginId is null");
        this.operation = requireNonNull(operation, "operation is null");
    }

    /** A plugin's code is outside the hub: its failure is external, whatever the reason. */
    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.EXTERNAL;
    }

    @Override
    public String errorCode()
    {
        return "connector_failed";
    }

    public Category category()
    {
        return category;
    }

    /** The id of the plugin whose code was called. */
    public String pluginId()
    {
        return pluginId;
    }

    /** What was called, for example {@code acme: Pusher.translate}. */
    public String operation()
    {
        return operation;
    }
}
