package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * The progress of one large upload on stderr: on a terminal a bar redrawn in place
 * ({@code events.ndjson [#####---------------]  1.5 MiB / 6.0 MiB  25%}), redrawn only when
 * the whole percentage changes; elsewhere (a log, a pipe) a single line once the file is sent.
 */
final class UploadProgress
        implements LongConsumer
{
    /** Files larger than this get a progress bar. */
    static final long THRESHOLD_BYTES = 1024 * 1024;
    private static final int BAR_WIDTH = 20;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean terminal;
    private long sent;
    private int shownPercent = -1;

    UploadProgress(PrintWriter err, String label, long total, boolean terminal)
    {
        this.err = requireNonNull(err, "err is null");
        this.label = requireNonNull(label, "label is null");
        this.total = total;
        this.terminal = terminal;
    }

    /** Called from the HTTP client's threads with the bytes sent so far. */
    @Override
    public synchronized void accept(long sentSoFar)
    {
        sent = sentSoFar;
        int percent = percent(sent, total);
        if (terminal && percent != shownPercent) {
            shownPercent = percent;
            err.print("\r" + bar(label, sent, total));
            err.flush();
        }
    }

    /** Ends the bar's line, or prints the one line of a non-terminal. */
    synchronized void finish()
    {
        if (terminal) {
            if (shownPercent < 0) {
                err.print(bar(label, sent, total));
            }
            err.println();
        }
        else {
            err.println(label + ": sent " + size(sent) + " of " + size(total));
        }
        err.flush();
    }

    /** One frame of the bar. */
    static String bar(String label, long sent, long total)
    {
        int percent = percent(sent, total);
        int filled = percent * BAR_WIDTH / 100;
        return label + " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] "
                + size(sent) + " / " + size(total) + String.format(Locale.ROOT, " %3d%%", percent);
    }

    /** Bytes for people: {@code 512 B}, {@code 12.5 KiB}, {@code 3.0 MiB}, {@code 1.2 GiB}. */
    static String size(long bytes)
    {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static int percent(long sent, long total)
    {
        if (total <= 0) {
            return 100;
        }
        return (int) Math.min(100, sent * 100 / total);
    }
}
