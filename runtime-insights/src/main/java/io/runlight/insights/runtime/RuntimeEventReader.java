package io.runlight.insights.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.FormatDetector;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.input.JsonInput;

import static java.util.Objects.requireNonNull;

/**
 * The entry point for runtime observations: detects the source from the content
 * (Runlight events, Falco, Tetragon, Tracee, Kubescape profiles) and reads every event.
 *
 * <p>Events are independent records, so one bad record does not spoil the batch: it is
 * counted as rejected and described by an {@link EventError} (its line, or its index in
 * a JSON array), and the good records are kept. A document that is not runtime events
 * at all, or a JSON document that is not line-oriented and does not parse, is refused
 * with an {@link InputException}. The JSON sources are accepted as NDJSON (one object
 * per line), as a JSON array, or as one or more pretty-printed objects.
 */
public final class RuntimeEventReader
{
    private static final Set<DocumentFormat> JSON_RECORD_FORMATS = Set.of(
            DocumentFormat.RUNLIGHT_EVENTS, DocumentFormat.FALCO_JSON, DocumentFormat.TETRAGON_JSON, DocumentFormat.TRACEE_JSON);
    private static final int MAX_LINES_TO_DETECT = 1000;

    private final InputLimits limits;
    private final JsonEventRecords records;
    private final KubescapeProfiles kubescape = new KubescapeProfiles();

    public RuntimeEventReader(InputLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
        this.records = new JsonEventRecords(new JsonInput(limits));
    }

    /**
     * Reads all events of a document.
     *
     * @throws InputException if the document is not runtime events (INVALID), cannot be
     *         parsed as a whole (MALFORMED) or is over a limit (TOO_LARGE)
     */
    public EventBatch read(InputStream in)
    {
        requireNonNull(in, "in is null");
        BufferedInputStream buffered = FormatDetector.buffered(in);
        DocumentFormat format = detect(buffered);
        return switch (format) {
            case RUNLIGHT_EVENTS -> records.read(buffered, format, new RunlightEventRecords());
            case FALCO_JSON -> records.read(buffered, format, new FalcoAlerts());
            case TETRAGON_JSON -> records.read(buffered, format, new TetragonEvents());
            case TRACEE_JSON -> records.read(buffered, format, new TraceeEvents());
            case KUBESCAPE_PROFILE -> {
                EventSink sink = new EventSink(format, limits);
                kubescape.read(records.readObject(buffered, format), sink);
                yield sink.batch();
            }
            case PROC_MAPS -> throw new InputException(InputException.Reason.INVALID, format.displayName(), "line 1",
                    "a maps snapshot carries no container identity or time of its own; read it with readProcMaps");
            default -> throw new InputException(InputException.Reason.INVALID, "input", "/",
                    "not runtime events: found " + format.displayName()
                            + "; expected Runlight events, Falco, Tetragon or Tracee JSON, or a Kubescape profile");
        };
    }

    /**
     * Reads a {@code /proc/<pid>/maps} snapshot of a process in the given container,
     * taken at the given time: one mmap event per mapped file.
     *
     * @throws InputException if no line of the document is a maps line, or it is over a limit
     */
    public EventBatch readProcMaps(InputStream in, ContainerIdentity identity, Instant time)
    {
        return ProcMaps.read(in, identity, time, Optional.empty(), limits);
    }

    // The detector looks at the first record. In NDJSON that one may be the bad line
    // among good ones, so when it cannot decide, the following lines get their turn.
    private static DocumentFormat detect(BufferedInputStream in)
    {
        try {
            return FormatDetector.detect(in);
        }
        catch (InputException first) {
            return detectByLine(in).orElseThrow(() -> first);
        }
    }

    private static Optional<DocumentFormat> detectByLine(BufferedInputStream in)
    {
        byte[] prefix;
        try {
            in.mark(FormatDetector.PREFIX_BYTES + 1);
            prefix = in.readNBytes(FormatDetector.PREFIX_BYTES);
            in.reset();
        }
        catch (IOException e) {
            // the stream could not be read again: the first detection failure is the answer
            return Optional.empty();
        }
        int start = 0;
        for (int line = 0; line < MAX_LINES_TO_DETECT && start < prefix.length; line++) {
            int end = start;
            while (end < prefix.length && prefix[end] != '\n') {
                end++;
            }
            if (end == prefix.length && prefix.length == FormatDetector.PREFIX_BYTES) {
                // a line cut off by the prefix cannot be judged
                return Optional.empty();
            }
            Optional<DocumentFormat> format = detectLine(Arrays.copyOfRange(prefix, start, end));
            if (format.isPresent()) {
                return format;
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    private static Optional<DocumentFormat> detectLine(byte[] line)
    {
        try {
            DocumentFormat format = FormatDetector.detect(line);
            return JSON_RECORD_FORMATS.contains(format) ? Optional.of(format) : Optional.empty();
        }
        catch (InputException e) {
            // this line is no event record (blank, malformed or of another shape): the
            // caller tries the next one, and reports the first line's problem if none fits
            return Optional.empty();
        }
    }
}
