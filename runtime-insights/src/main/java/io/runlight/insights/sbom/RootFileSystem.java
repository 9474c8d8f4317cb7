package io.runlight.insights.sbom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.OsInfo;

import static java.util.Objects.requireNonNull;

/**
 * Read-only access to files of an unpacked image (or a real system) below a root directory,
 * as a process chrooted there would see them: symbolic links are followed, but an absolute
 * link target and any {@code ..} are resolved against the root, so a hostile image cannot
 * make Runlight read the host's files. Every file read is bounded by the input limits.
 */
public final class RootFileSystem
{
    private static final int MAX_LINK_HOPS = 40;

    private final Path root;
    private final DocumentFormat format;
    private final InputLimits limits;

    public RootFileSystem(Path root, DocumentFormat format, InputLimits limits)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.format = requireNonNull(format, "format is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    public Path root()
    {
        return root;
    }

    /**
     * The file at {@code relative} (for example {@code var/lib/dpkg/status}) if it exists
     * below the root, after resolving symbolic links inside the root.
     */
    public Optional<Path> regularFile(String relative)
    {
        return resolve(relative).filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
    }

    /** The directory at {@code relative}, if it exists below the root. */
    public Optional<Path> directory(String relative)
    {
        return resolve(relative).filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Reads a text file's lines, refusing a file over the document size limit or a line over
     * the string length limit. Bytes that are not UTF-8 are replaced, as package databases
     * sometimes hold Latin-1 descriptions.
     *
     * @param shownPath the path as messages show it, relative to the root
     */
    public List<String> lines(Path file, String shownPath)
    {
        try {
            long size = Files.size(file);
            if (size > limits.maxDocumentBytes()) {
                throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), shownPath,
                        "the file has " + size + " bytes, more than the limit of " + limits.maxDocumentBytes());
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.length() > limits.maxStringLength()) {
                        throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), shownPath + " line " + (lines.size() + 1),
                                "the line is longer than the limit of " + limits.maxStringLength() + " characters");
                    }
                    lines.add(line);
                }
                return lines;
            }
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, format.displayName(), shownPath, "cannot read the file: " + e.getMessage(), e);
        }
    }

    /**
     * The distribution from {@code etc/os-release} (or {@code usr/lib/os-release}): {@code ID}
     * as family, {@code VERSION_ID} as version; absent if neither file names an {@code ID}.
     */
    public Optional<OsInfo> osRelease()
    {
        Optional<Path> file = regularFile("etc/os-release").or(() -> regularFile("usr/lib/os-release"));
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (String line : lines(file.get(), "etc/os-release")) {
            int equals = line.indexOf('=');
            if (equals <= 0 || line.startsWith("#")) {
                continue;
            }
            values.put(line.substring(0, equals).strip(), unquote(line.substring(equals + 1).strip()));
        }
        String family = values.getOrDefault("ID", "");
        if (family.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new OsInfo(family.toLowerCase(Locale.ROOT), values.getOrDefault("VERSION_ID", ""), Optional.empty()));
    }

    private Optional<Path> resolve(String relative)
    {
        Deque<String> pending = new ArrayDeque<>();
        pushSegments(pending, relative);
        Path current = root;
        int hops = 0;
        try {
            while (!pending.isEmpty()) {
                String segment = pending.pollFirst();
                if (segment.equals("..")) {
                    current = current.equals(root) ? root : current.getParent();
                    continue;
                }
                Path next = current.resolve(segment);
                if (Files.isSymbolicLink(next)) {
                    hops++;
                    if (hops > MAX_LINK_HOPS) {
                        return Optional.empty();
                    }
                    String target = Files.readSymbolicLink(next).toString();
                    if (target.startsWith("/")) {
                        current = root;
                    }
                    Deque<String> targetSegments = new ArrayDeque<>();
                    pushSegments(targetSegments, target);
                    while (!targetSegments.isEmpty()) {
                        pending.addFirst(targetSegments.pollLast());
                    }
                    continue;
                }
                if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
                current = next;
            }
        }
        catch (IOException e) {
            // an unreadable link is a file the database does not have
            return Optional.empty();
        }
        return Optional.of(current);
    }

    private static void pushSegments(Deque<String> segments, String path)
    {
        for (String segment : path.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
    }

    private static String unquote(String value)
    {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
