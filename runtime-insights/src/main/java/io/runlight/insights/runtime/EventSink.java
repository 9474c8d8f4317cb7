package io.runlight.insights.runtime;

import java.util.ArrayList;
import java.util.List;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;

import static java.util.Objects.requireNonNull;

/**
 * Collects the events and rejections of one document: keeps every event (up to
 * {@link InputLimits#maxItems()}, beyond which the document is refused as too large),
 * the first {@link EventBatch#MAX_ERRORS} errors, and counts all rejections.
 */
final class EventSink
{
    private final DocumentFormat format;
    private final InputLimits limits;
    private final List<RuntimeEvent> events = new ArrayList<>();
    private final List<EventError> errors = new ArrayList<>();
    private int rejected;

    EventSink(DocumentFormat format, InputLimits limits)
    {
        this.format = requireNonNull(format, "format is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    void accept(RuntimeEvent event, String location)
    {
        if (events.size() >= limits.maxItems()) {
            throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), location,
                    "more than " + limits.maxItems() + " events, the limit");
        }
        events.add(requireNonNull(event, "event is null"));
    }

    void reject(String location, String message)
    {
        rejected++;
        if (errors.size() < EventBatch.MAX_ERRORS) {
            errors.add(new EventError(location, message));
        }
    }

    DocumentFormat format()
    {
        return format;
    }

    InputLimits limits()
    {
        return limits;
    }

    EventBatch batch()
    {
        return new EventBatch(format, events, rejected, errors);
    }
}
