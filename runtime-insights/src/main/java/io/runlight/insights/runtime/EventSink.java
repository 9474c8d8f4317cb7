package io.runlight.insights.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    /** The most characters of a path or process: Linux's PATH_MAX. */
    static final int MAX_PATH_LENGTH = 4096;

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

    /**
     * Keeps the event, or rejects it when its identity or text is not acceptable (see
     * {@link IdentityNames}, {@link EventFields#text}): every reader's events pass here.
     */
    void accept(RuntimeEvent event, String location)
    {
        requireNonNull(event, "event is null");
        Optional<String> problem = problem(event);
        if (problem.isPresent()) {
            reject(location, problem.get());
            return;
        }
        if (events.size() >= limits.maxItems()) {
            throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), location,
                    "more than " + limits.maxItems() + " events, the limit");
        }
        events.add(event);
    }

    private static Optional<String> problem(RuntimeEvent event)
    {
        return IdentityNames.problem(event.container())
                .or(() -> EventFields.textProblem(event.path(), MAX_PATH_LENGTH).map(problem -> "the path " + problem))
                .or(() -> event.process().flatMap(process -> EventFields.textProblem(process, MAX_PATH_LENGTH)).map(problem -> "the process " + problem));
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
