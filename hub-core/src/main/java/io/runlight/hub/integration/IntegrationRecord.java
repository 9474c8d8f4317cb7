package io.runlight.hub.integration;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * An integration as the hub stores it in the {@value IntegrationService#INTEGRATIONS_MAP}
 * map: which connector it uses and the configuration the admin gave. Secret values are
 * stored (the database is the hub's own: connectors need them) but never returned or
 * logged; {@code secretKeys} remembers which keys are secret so they stay masked even
 * while the plugin is not loaded.
 *
 * @param id {@code int_} and 20 random characters
 * @param plugin the connector id ({@link io.runlight.plugin.api.connector.ConnectorFactory#id()})
 * @param name the name the admin gave
 * @param config the configuration as given (JSON values: strings, numbers, booleans, lists, objects)
 * @param secretKeys the keys of {@code config}'s connector that are secret, sorted
 * @param state the stored state
 * @param failure why the connector could not be created (only in state FAILED)
 * @param createdAt when it was created
 * @param lastSuccessAt the last successful delivery or served request
 * @param lastErrorAt the last failed delivery, served request or connector creation
 * @param lastError what failed then
 */
public record IntegrationRecord(
        String id,
        String plugin,
        String name,
        Map<String, Object> config,
        List<String> secretKeys,
        IntegrationState state,
        Optional<String> failure,
        Instant createdAt,
        Optional<Instant> lastSuccessAt,
        Optional<Instant> lastErrorAt,
        Optional<String> lastError)
{
    /** What a secret value is shown as. */
    public static final String MASK = "****";

    public IntegrationRecord
    {
        requireNonBlank(id, "id");
        requireNonBlank(plugin, "plugin");
        requireNonNull(name, "name is null");
        requireNonNull(config, "config is null");
        config = Collections.unmodifiableMap(new TreeMap<>(config));
        secretKeys = requireNonNull(secretKeys, "secretKeys is null").stream().sorted().distinct().toList();
        requireNonNull(state, "state is null");
        requireNonNull(failure, "failure is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(lastSuccessAt, "lastSuccessAt is null");
        requireNonNull(lastErrorAt, "lastErrorAt is null");
        requireNonNull(lastError, "lastError is null");
        if (state == IntegrationState.FAILED && failure.isEmpty()) {
            throw new IllegalArgumentException("integration '" + id + "' is FAILED without a reason");
        }
        if (state != IntegrationState.FAILED) {
            failure = Optional.empty();
        }
    }

    /** The configuration with every secret value replaced by {@value #MASK}. */
    public Map<String, Object> maskedConfig()
    {
        TreeMap<String, Object> masked = new TreeMap<>(config);
        for (String key : secretKeys) {
            masked.computeIfPresent(key, (ignored, value) -> MASK);
        }
        return Collections.unmodifiableMap(masked);
    }

    public IntegrationRecord withName(String newName)
    {
        return new IntegrationRecord(id, plugin, newName, config, secretKeys, state, failure, createdAt, lastSuccessAt, lastErrorAt, lastError);
    }

    public IntegrationRecord withConfig(Map<String, Object> newConfig, List<String> newSecretKeys)
    {
        return new IntegrationRecord(id, plugin, name, newConfig, newSecretKeys, state, failure, createdAt, lastSuccessAt, lastErrorAt, lastError);
    }

    public IntegrationRecord withState(IntegrationState newState, Optional<String> newFailure)
    {
        return new IntegrationRecord(id, plugin, name, config, secretKeys, newState, newFailure, createdAt, lastSuccessAt, lastErrorAt, lastError);
    }

    public IntegrationRecord withSuccess(Instant at)
    {
        return new IntegrationRecord(id, plugin, name, config, secretKeys, state, failure, createdAt, Optional.of(at), lastErrorAt, lastError);
    }

    public IntegrationRecord withError(Instant at, String reason)
    {
        return new IntegrationRecord(id, plugin, name, config, secretKeys, state, failure, createdAt, lastSuccessAt, Optional.of(at), Optional.of(reason));
    }

    /** Never shows a secret value. */
    @Override
    public String toString()
    {
        return "IntegrationRecord[id=" + id + ", plugin=" + plugin + ", name=" + name + ", config=" + maskedConfig() + ", state=" + state
                + failure.map(reason -> ", failure=" + reason).orElse("") + ", createdAt=" + createdAt + "]";
    }
}
