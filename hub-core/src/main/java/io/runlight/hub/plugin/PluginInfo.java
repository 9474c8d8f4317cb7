package io.runlight.hub.plugin;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One plugin jar of the plugins folder and what became of it. Refused and failed jars
 * are listed too, with the reason, so an admin sees why a connector is missing.
 *
 * @param id the {@code Plugin-Id}; empty if the jar's manifest could not be read
 * @param version the {@code Plugin-Version}; empty if unknown
 * @param provider the {@code Plugin-Provider}; empty if not given
 * @param description the {@code Plugin-Description}; empty if not given
 * @param jar the jar's file name in the plugins folder
 * @param state where it stands
 * @param error why it was refused or failed
 * @param connectors the connector factories it provides (empty unless started)
 * @param generation how many times a jar of this plugin id was loaded by this hub process (0 if never)
 */
public record PluginInfo(String id, String version, String provider, String description, String jar, PluginStatus state, Optional<String> error,
        List<ConnectorInfo> connectors, long generation)
{
    /** Sorts by id, then jar file name. */
    public static final Comparator<PluginInfo> ORDER = Comparator.comparing(PluginInfo::id).thenComparing(PluginInfo::jar);

    public PluginInfo
    {
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(description, "description is null");
        requireNonBlank(jar, "jar");
        requireNonNull(state, "state is null");
        requireNonNull(error, "error is null");
        connectors = List.copyOf(requireNonNull(connectors, "connectors is null"));
        checkArgument(generation >= 0, "generation must not be negative: " + generation);
    }

    /** A copy in another state. */
    PluginInfo withState(PluginStatus newState)
    {
        return new PluginInfo(id, version, provider, description, jar, newState, error, connectors, generation);
    }
}
