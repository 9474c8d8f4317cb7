package io.runlight.insights.runtime;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * One event that could not be read; the others in the same batch are still accepted.
 *
 * @param location where, for example {@code line 17} or {@code /3}
 * @param message what is wrong, in one sentence
 */
public record EventError(String location, String message)
{
    public EventError
    {
        requireNonBlank(location, "location");
        requireNonBlank(message, "message");
    }
}
