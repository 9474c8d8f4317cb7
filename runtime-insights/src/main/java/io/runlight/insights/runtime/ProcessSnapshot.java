package io.runlight.insights.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.EvidenceKind;

import static java.util.Objects.requireNonNull;

/**
 * Inspects one live process through its {@code /proc/<pid>} directory, as Runlight's
 * collector does: {@code exe} gives an exec event, {@code maps} an mmap event per mapped
 * file, and the {@code fd/*} links an open event per open regular file (sockets, pipes,
 * anonymous inodes, devices and {@code /proc} or {@code /sys} entries are not files of
 * the image). The process of every event is the {@code exe} target (if {@code exe} cannot
 * be read, the first mapped file, as for a maps snapshot). Parts that cannot be read (a process of another user, one
 * that exited meanwhile) become errors named {@code exe}, {@code maps} or {@code fd/N};
 * the rest is still returned. Identity and time are the caller's: /proc knows neither.
 */
public final class ProcessSnapshot
{
    private static final String DELETED = " (deleted)";

    private final InputLimits limits;

    public ProcessSnapshot(InputLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Reads a process directory such as {@code /proc/1234}.
     *
     * @throws InputException (INVALID) if the directory does not exist
     */
    public EventBatch read(Path processDirectory, ContainerIdentity identity, Instant time)
    {
        requireNonNull(processDirectory, "processDirectory is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(time, "time is null");
        if (!Files.isDirectory(processDirectory)) {
            throw new InputException(InputException.Reason.INVALID, DocumentFormat.PROC_MAPS.displayName(), processDirectory.toString(), "no such process directory");
        }
        List<RuntimeEvent> events = new ArrayList<>();
        List<EventError> errors = new ArrayList<>();
        int rejected = 0;

        Optional<String> executable = Optional.empty();
        try {
            executable = Optional.of(withoutDeleted(Files.readSymbolicLink(processDirectory.resolve("exe")).toString()));
            events.add(new RuntimeEvent(identity, EvidenceKind.EXEC, executable.get(), executable, time, Sensor.PROC_MAPS));
        }
        catch (IOException e) {
            errors.add(new EventError("exe", "cannot read the link: " + describe(e)));
            rejected++;
        }

        Optional<String> process = executable;
        try (InputStream maps = Files.newInputStream(processDirectory.resolve("maps"))) {
            EventBatch mapped = ProcMaps.read(maps, identity, time, executable, limits);
            events.addAll(mapped.events());
            // without exe, the maps reader's choice (the first mapped file) names the process
            process = executable.or(() -> mapped.events().stream().findFirst().flatMap(RuntimeEvent::process));
            rejected += mapped.rejected();
            mapped.errors().forEach(error -> errors.add(new EventError("maps " + error.location(), error.message())));
        }
        catch (IOException e) {
            errors.add(new EventError("maps", "cannot read the file: " + describe(e)));
            rejected++;
        }

        Set<String> opened = new LinkedHashSet<>();
        try {
            for (Path link : descriptors(processDirectory.resolve("fd"))) {
                try {
                    String target = withoutDeleted(Files.readSymbolicLink(link).toString());
                    if (isImageFile(target)) {
                        opened.add(target);
                    }
                }
                catch (NoSuchFileException e) {
                    // the descriptor was closed between listing and reading: nothing was missed
                    continue;
                }
                catch (IOException e) {
                    errors.add(new EventError("fd/" + link.getFileName(), "cannot read the link: " + describe(e)));
                    rejected++;
                }
            }
        }
        catch (IOException e) {
            errors.add(new EventError("fd", "cannot list the descriptors: " + describe(e)));
            rejected++;
        }
        for (String path : opened) {
            events.add(new RuntimeEvent(identity, EvidenceKind.OPEN, path, process, time, Sensor.PROC_MAPS));
        }
        if (events.size() > limits.maxItems()) {
            throw new InputException(InputException.Reason.TOO_LARGE, DocumentFormat.PROC_MAPS.displayName(), processDirectory.toString(),
                    "more than " + limits.maxItems() + " events, the limit");
        }
        List<EventError> kept = errors.subList(0, Math.min(errors.size(), EventBatch.MAX_ERRORS));
        return new EventBatch(DocumentFormat.PROC_MAPS, events, rejected, kept);
    }

    // Descriptors in numeric order, so the output does not depend on directory order.
    private static List<Path> descriptors(Path directory)
            throws IOException
    {
        List<Path> links = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(links::add);
        }
        links.sort(Comparator.comparingLong(ProcessSnapshot::descriptorNumber).thenComparing(Path::toString));
        return links;
    }

    private static long descriptorNumber(Path link)
    {
        String name = link.getFileName().toString();
        return name.chars().allMatch(Character::isDigit) && !name.isEmpty() && name.length() < 19 ? Long.parseLong(name) : Long.MAX_VALUE;
    }

    // socket:[...], pipe:[...], anon_inode:[...] are not absolute; devices are not files of the image
    private static boolean isImageFile(String target)
    {
        return target.startsWith("/") && !target.startsWith("/dev/") && !target.startsWith("/memfd:") && !target.startsWith("/proc/") && !target.startsWith("/sys/");
    }

    private static String withoutDeleted(String path)
    {
        return path.endsWith(DELETED) ? path.substring(0, path.length() - DELETED.length()) : path;
    }

    private static String describe(IOException e)
    {
        String kind = e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + " " + e.getMessage();
    }
}
