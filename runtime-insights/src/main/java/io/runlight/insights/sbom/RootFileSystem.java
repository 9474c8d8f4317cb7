package io.runlight.insights.sbom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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
 *
 * <p>Files are named by their absolute path inside the image ({@code /var/lib/dpkg/status}),
 * never by a path of the machine: the same readers work on a folder and on the files of an
 * image archive kept in memory ({@link Source}).
 */
public final class RootFileSystem
{
    private static final int MAX_LINK_HOPS = 40;

    /** Where the image's files are: a folder on disk, or an archive's files kept in memory. */
    public interface Source
    {
        enum Kind
        {
            FILE, DIRECTORY, LINK, OTHER
        }

        /** What is at an absolute image path, its last segment not followed. */
        record Entry(Kind kind, String linkTarget) {}

        /** The entry at the path (links not followed), or null if there is none. */
        Entry entry(String path)
                throws IOException;

        long size(String path)
                throws IOException;

        InputStream open(String path)
                throws IOException;

        /** The names of the regular files directly in the folder. */
        List<String> files(String directory)
                throws IOException;

        /** How messages name the root. */
        String describe();
    }

    private final Source source;
    private final DocumentFormat format;
    private final InputLimits limits;

    public RootFileSystem(Path root, DocumentFormat format, InputLimits limits)
    {
        this(new Folder(requireNonNull(root, "root is null").toAbsolutePath().normalize()), format, limits);
    }

    public RootFileSystem(Source source, DocumentFormat format, InputLimits limits)
    {
        this.source = requireNonNull(source, "source is null");
        this.format = requireNonNull(format, "format is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /** The root as messages name it: the folder, or the image. */
    public String root()
    {
        return source.describe();
    }

    /**
     * The regular file at {@code relative} (for example {@code var/lib/dpkg/status}), as an
     * absolute image path once symbolic links are resolved inside the root, if there is one.
     */
    public Optional<String> regularFile(String relative)
    {
        return ofKind(relative, Source.Kind.FILE);
    }

    /** The directory at {@code relative}, if there is one (absolute image path, links resolved). */
    public Optional<String> directory(String relative)
    {
        return ofKind(relative, Source.Kind.DIRECTORY);
    }

    /** The names of the regular files in a directory {@link #directory} gave, sorted. */
    public List<String> files(String directory, String shownPath)
    {
        try {
            List<String> names = new ArrayList<>(source.files(directory));
            names.sort(null);
            return names;
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, format.displayName(), shownPath, "cannot list the directory: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a text file's lines, refusing a file over the document size limit or a line over
     * the string length limit. Bytes that are not UTF-8 are replaced, as package databases
     * sometimes hold Latin-1 descriptions.
     *
     * @param file a path {@link #regularFile} gave
     * @param shownPath the path as messages show it, relative to the root
     */
    public List<String> lines(String file, String shownPath)
    {
        try {
            long size = source.size(file);
            if (size > limits.maxDocumentBytes()) {
                throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), shownPath,
                        "the file has " + size + " bytes, more than the limit of " + limits.maxDocumentBytes());
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(source.open(file), StandardCharsets.UTF_8))) {
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

    /** A file's bytes, refused over the document size limit. */
    public byte[] bytes(String file, String shownPath)
    {
        try {
            long size = source.size(file);
            if (size > limits.maxDocumentBytes()) {
                throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), shownPath,
                        "the file has " + size + " bytes, more than the limit of " + limits.maxDocumentBytes());
            }
            try (InputStream in = source.open(file)) {
                return in.readNBytes((int) size);
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
        Optional<String> file = regularFile("etc/os-release").or(() -> regularFile("usr/lib/os-release"));
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

    // the image path with every link resolved inside the root; empty if nothing is there, or for a loop
    private Optional<String> resolve(String relative)
    {
        Deque<String> pending = new ArrayDeque<>();
        pushSegments(pending, relative);
        List<String> current = new ArrayList<>();
        int hops = 0;
        try {
            while (!pending.isEmpty()) {
                String segment = pending.pollFirst();
                if (segment.equals("..")) {
                    if (!current.isEmpty()) {
                        current.remove(current.size() - 1);
                    }
                    continue;
                }
                current.add(segment);
                Source.Entry entry = source.entry(join(current));
                if (entry == null) {
                    return Optional.empty();
                }
                if (entry.kind() == Source.Kind.LINK) {
                    current.remove(current.size() - 1);
                    hops++;
                    if (hops > MAX_LINK_HOPS) {
                        return Optional.empty();
                    }
                    if (entry.linkTarget().startsWith("/")) {
                        current.clear();
                    }
                    Deque<String> targetSegments = new ArrayDeque<>();
                    pushSegments(targetSegments, entry.linkTarget());
                    while (!targetSegments.isEmpty()) {
                        pending.addFirst(targetSegments.pollLast());
                    }
                }
            }
        }
        catch (IOException e) {
            // an unreadable link is a file the database does not have
            return Optional.empty();
        }
        return Optional.of(join(current));
    }

    private Optional<String> ofKind(String relative, Source.Kind kind)
    {
        Optional<String> resolved = resolve(relative);
        try {
            if (resolved.isPresent()) {
                Source.Entry entry = source.entry(resolved.get());
                if (entry != null && entry.kind() == kind) {
                    return resolved;
                }
            }
            return Optional.empty();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String join(List<String> segments)
    {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            out.append('/').append(segment);
        }
        return out.toString();
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

    /** A folder on disk: links are read, never followed by the operating system. */
    private record Folder(Path root)
            implements Source
    {
        @Override
        public Entry entry(String path)
                throws IOException
        {
            Path file = file(path);
            if (Files.isSymbolicLink(file)) {
                return new Entry(Kind.LINK, Files.readSymbolicLink(file).toString());
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                return new Entry(Kind.DIRECTORY, "");
            }
            return new Entry(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Kind.FILE : Kind.OTHER, "");
        }

        @Override
        public long size(String path)
                throws IOException
        {
            return Files.size(file(path));
        }

        @Override
        public InputStream open(String path)
                throws IOException
        {
            return Files.newInputStream(file(path), LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public List<String> files(String directory)
                throws IOException
        {
            List<String> names = new ArrayList<>();
            try (var listing = Files.newDirectoryStream(file(directory))) {
                for (Path entry : listing) {
                    if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                        names.add(entry.getFileName().toString());
                    }
                }
            }
            return names;
        }

        @Override
        public String describe()
        {
            return root.toString();
        }

        // image paths are resolved by RootFileSystem: no '..', no link on the way
        private Path file(String path)
        {
            return path.equals("/") ? root : root.resolve(path.substring(1));
        }
    }
}
