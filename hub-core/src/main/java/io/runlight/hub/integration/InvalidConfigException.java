package io.runlight.hub.integration;

import java.util.List;
import java.util.Map;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;
import io.runlight.plugin.api.connector.ConfigError;

import static java.util.Objects.requireNonNull;

/**
 * An integration's configuration does not fit its connector's declared properties (or the
 * connector's own checks). Carries every error at once, one per property problem; the
 * messages never contain a secret value.
 */
public final class InvalidConfigException
        extends RuntimeException
        implements HubFailure
{
    private final String connectorId;
    private final List<ConfigError> errors;

    public InvalidConfigException(String connectorId, List<ConfigError> errors)
    {
        super(message(connectorId, errors));
        this.connectorId = connectorId;
        this.errors = List.copyOf(errors);
    }

    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.USER;
    }

    @Override
    public String errorCode()
    {
        return "invalid_config";
    }

    /** Every error as {@code {"property", "message"}}, under {@code errors}. */
    @Override
    public Map<String, Object> details()
    {
        List<Map<String, String>> listed = errors.stream()
                .map(error -> Map.of("property", error.property(), "message", error.message()))
                .toList();
        return Map.of("errors", listed);
    }

    public String connectorId()
    {
        return connectorId;
    }

    /** Every error, hub checks first in declaration order, then unknown keys, then the connector's own checks. */
    public List<ConfigError> errors()
    {
        return errors;
    }

    private static String message(String connectorId, List<ConfigError> errors)
    {
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(errors, "errors is null");
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration needs at least one error");
        }
        String count = errors.size() == 1 ? "1 error" : errors.size() + " errors";
        return "The configuration for connector '" + connectorId + "' has " + count + "; fix every property listed in 'errors'.";
    }
}
