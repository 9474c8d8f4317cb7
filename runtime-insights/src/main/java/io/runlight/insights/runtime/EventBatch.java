package io.runlight.insights.runtime;

import java.util.List;

import io.runlight.insights.input.DocumentFormat;

import static java.util.Objects.requireNonNull;

/**
 * The events read from one document or stream, and the ones that were rejected.
 *
 * @param format the format detected
 * @param events the events read, in input order
 * @param rejected how many records were rejected
 * @param errors the first errors (at most {@link #MAX_ERRORS}), in input order
 */
public record EventBatch(DocumentFormat format, List<RuntimeEvent> events, int rejected, List<EventError> errors)
{
    /** How many error messages a batch keeps. */
    public static final int MAX_ERRORS = 100;

    public EventBatch
    {
        requireNonNull(format, "format is null");
        events = List.copyOf(requireNonNull(events, "events is null"));
        errors = List.copyOf(requireNonNull(errors, "errors is null"));
    }
}
