package io.runlight.insights.runtime;

import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.EvidenceKind;

import static java.util.Objects.requireNonNull;

/**
 * Reads {@code /proc/<pid>/maps}: one mmap event per distinct mapped file, in the order
 * of first appearance. Lines without a file are skipped (anonymous memory,
 * {@code [heap]}, {@code [stack]}, {@code [vdso]} and other {@code [...]} regions), and
 * so are mappings that are not files of the image: {@code anon_inode:*},
 * {@code /dev/*}, {@code /memfd:*} and System V shared memory ({@code /SYSV*}). A
 * {@code " (deleted)"} suffix is removed: the file was mapped, then replaced on disk.
 *
 * <p>The process is, unless the caller knows it, the first mapped file: the kernel maps
 * the program at the lowest address, so it is listed first (for a script, that is its
 * interpreter, which is indeed the running executable). A malformed line is rejected
 * as {@code line N}; a document with no readable line at all is refused.
 */
final class ProcMaps
{
    private static final DocumentFormat FORMAT = DocumentFormat.PROC_MAPS;
    // start-end perms offset dev inode [pathname]; the pathname may contain spaces
    private static final Pattern LINE = Pattern.compile("[0-9a-fA-F]+-[0-9a-fA-F]+ +[r-][w-][x-][ps-] +[0-9a-fA-F]+ +[0-9a-fA-F]+:[0-9a-fA-F]+ +\\d+(?: +(.*))?");
    private static final String DELETED = " (deleted)";

    private ProcMaps() {}

    static EventBatch read(InputStream in, ContainerIdentity identity, Instant time, Optional<String> process, InputLimits limits)
    {
        requireNonNull(in, "in is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(time, "time is null");
        EventSink sink = new EventSink(FORMAT, limits);
        MappedFiles mapped = new MappedFiles(sink);
        BoundedLines.read(in, FORMAT, limits, sink, mapped::line);
        EventBatch rejections = sink.batch();
        if (mapped.mappings == 0 && rejections.rejected() > 0) {
            EventError first = rejections.errors().get(0);
            throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), first.location(), first.message());
        }
        Optional<String> executable = process.or(() -> mapped.paths.keySet().stream().findFirst());
        mapped.paths.forEach((path, location) -> sink.accept(new RuntimeEvent(identity, EvidenceKind.MMAP, path, executable, time, Sensor.PROC_MAPS), location));
        return sink.batch();
    }

    /** The file a mapping's pathname column names, if it names a file of the image. */
    static Optional<String> mappedFile(String pathname)
    {
        if (pathname == null) {
            return Optional.empty();
        }
        String path = pathname.strip();
        if (path.endsWith(DELETED)) {
            path = path.substring(0, path.length() - DELETED.length()).strip();
        }
        if (!path.startsWith("/") || path.startsWith("/dev/") || path.startsWith("/memfd:") || path.startsWith("/SYSV")) {
            // [heap], [stack], [vdso], anon_inode:..., empty (anonymous) and device or shared memory mappings
            return Optional.empty();
        }
        return Optional.of(path);
    }

    // The distinct mapped files in order of first appearance, each with the line that first mapped it.
    private static final class MappedFiles
    {
        private final EventSink sink;
        private final Map<String, String> paths = new LinkedHashMap<>();
        private int mappings;

        MappedFiles(EventSink sink)
        {
            this.sink = sink;
        }

        void line(int number, String text)
        {
            Matcher matcher = LINE.matcher(text.stripTrailing());
            if (!matcher.matches()) {
                sink.reject("line " + number, "not a maps line (start-end perms offset dev inode path): '" + EventFields.abbreviate(text) + "'");
                return;
            }
            mappings++;
            mappedFile(matcher.group(1)).ifPresent(path -> paths.putIfAbsent(path, "line " + number));
        }
    }
}
