package io.runlight.hub;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The hub's configuration is invalid. Carries every problem found, so a user fixes
 * them all in one go rather than one per restart.
 */
public final class ConfigException
        extends RuntimeException
        implements HubFailure
{
    private final List<String> errors;

    public ConfigException(List<String> errors)
    {
        super(message(errors));
        this.errors = List.copyOf(requireNonNull(errors, "errors is null"));
    }

    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.USER;
    }

    @Override
    public String errorCode()
    {
        return "invalid_configuration";
    }

    public List<String> errors()
    {
        return errors;
    }

    private static String message(List<String> errors)
    {
        if (errors.size() == 1) {
            return "invalid configuration: " + errors.get(0);
        }
        return "invalid configuration (" + errors.size() + " problems):\n  - " + String.join("\n  - ", errors);
    }
}
