package io.runlight.hub.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The plugins folder as the host sees it: which jars it holds, whether each has settled
 * (a copy may still be in progress), and a private staged copy of each, inspected by
 * {@link PluginJarInspector} before anything else reads it. Also waits for the folder
 * to change (a watch service where the file system has one, else a timer). Runs no
 * plugin code. Not thread-safe: the host uses it under its lock, except
 * {@link #awaitChange}, which only the watcher thread calls.
 */
final class PluginFolder
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(PluginFolder.class);

    private final PluginHostOptions options;
    private final Path stagingDir;
    private final PluginJarInspector inspector;
    private final Optional<WatchService> watchService;
    private final AtomicLong stagedCount = new AtomicLong();
    private final Map<String, Observation> observed = new HashMap<>();
    private Optional<WatchKey> watchKey = Optional.empty();

    private PluginFolder(PluginHostOptions options, Path stagingDir, PluginJarInspector inspector, Optional<WatchService> watchService)
    {
        this.options = options;
        this.stagingDir = stagingDir;
        this.inspector = inspector;
        this.watchService = watchService;
    }

    /**
     * Creates the plugins folder if missing, and a fresh staging folder for this host.
     *
     * @throws IllegalStateException if a folder cannot be created
     */
    static PluginFolder open(PluginHostOptions options, PluginJarInspector inspector)
    {
        requireNonNull(options, "options is null");
        requireNonNull(inspector, "inspector is null");
        Path stagingDir;
        try {
            Files.createDirectories(options.pluginsDir());
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot create the plugins folder '" + options.pluginsDir() + "': " + e.getMessage()
                    + " (create it, or set plugins.dir to a writable folder)", e);
        }
        try {
            Files.createDirectories(options.stagingDir());
            stagingDir = Files.createTempDirectory(options.stagingDir(), "host-");
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot create the plugin staging folder in '" + options.stagingDir() + "': " + e.getMessage(), e);
        }
        Optional<WatchService> watchService;
        try {
            watchService = Optional.of(FileSystems.getDefault().newWatchService());
        }
        catch (IOException | UnsupportedOperationException e) {
            log.warn("Cannot watch the plugins folder '{}' ({}); it is scanned every {} instead", options.pluginsDir(), e.getMessage(), options.rescanInterval());
            watchService = Optional.empty();
        }
        return new PluginFolder(options, stagingDir, inspector, watchService);
    }

    /** This host's own staging folder (deleted on close). */
    Path stagingDir()
    {
        return stagingDir;
    }

    /**
     * Waits up to {@code waitMillis} for the folder to change; returns early on a change.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ClosedWatchServiceException if the folder was closed meanwhile
     */
    void awaitChange(long waitMillis)
            throws InterruptedException
    {
        if (watchService.isEmpty()) {
            Thread.sleep(waitMillis);
            return;
        }
        WatchKey key = watchService.get().poll(waitMillis, TimeUnit.MILLISECONDS);
        while (key != null) {
            // what changed does not matter: the scan compares the whole folder
            key.pollEvents();
            key.reset();
            key = watchService.get().poll();
        }
    }

    /** Registers the folder with the watch service once it exists (again). */
    void ensureWatching()
    {
        if (watchService.isEmpty() || (watchKey.isPresent() && watchKey.get().isValid()) || !Files.isDirectory(options.pluginsDir())) {
            return;
        }
        try {
            watchKey = Optional.of(options.pluginsDir().register(watchService.get(),
                    StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
        }
        catch (IOException | ClosedWatchServiceException e) {
            log.warn("Cannot watch the plugins folder '{}' ({}); it is scanned every {}", options.pluginsDir(), e.getMessage(), options.rescanInterval());
        }
    }

    /** The regular {@code .jar} files of the folder with their attributes, by name; forgets observations of jars that are gone. */
    Map<String, BasicFileAttributes> listJars()
    {
        Map<String, BasicFileAttributes> present = new TreeMap<>();
        if (!Files.isDirectory(options.pluginsDir())) {
            return present;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(options.pluginsDir())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || !name.toLowerCase(Locale.ROOT).endsWith(".jar")) {
                    // hidden files and temporary names (x.jar.tmp, .x.jar.part) are copies in progress
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        present.put(name, attributes);
                    }
                }
                catch (NoSuchFileException vanished) {
                    // removed while listing: the next scan sees it gone
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the plugins folder '" + options.pluginsDir() + "'", e);
        }
        observed.keySet().retainAll(present.keySet());
        return present;
    }

    /** Whether a jar's size and time have stayed the same for the settle time (or it was last written that long ago). */
    boolean settled(String name, BasicFileAttributes attributes, long nowNanos)
    {
        Observation seen = observed.get(name);
        if (seen == null || seen.size() != attributes.size() || !seen.modified().equals(attributes.lastModifiedTime())) {
            seen = new Observation(attributes.size(), attributes.lastModifiedTime(), nowNanos);
            observed.put(name, seen);
        }
        return seen.settled(nowNanos, options.settleTime());
    }

    /**
     * A staged, inspected copy of a jar; empty if it vanished or changed while being copied.
     * Whatever the jar makes the reader throw becomes a refused jar with the reason.
     */
    Optional<PluginJar> stage(String name, long size, FileTime modified)
    {
        try {
            return copyAndInspect(name, size, modified);
        }
        catch (Throwable e) {
            // one jar must never stop the scan of the others, even with an Error
            log.error("Plugin jar '{}' could not be inspected", name, e);
            return Optional.of(new PluginJar(name, size, modified, "uninspectable-" + size + "-" + modified.toMillis(),
                    stagingDir.resolve("uninspectable-" + name), "", "", "", "",
                    Optional.of("plugin jar '" + name + "' could not be inspected (" + e + "): rebuild the plugin")));
        }
    }

    private Optional<PluginJar> copyAndInspect(String name, long size, FileTime modified)
    {
        Path source = options.pluginsDir().resolve(name);
        Path target = stagingDir.resolve(String.format(Locale.ROOT, "%06d-%s", stagedCount.incrementAndGet(), name));
        if (size > PluginJarLimits.DEFAULT.maxJarBytes()) {
            // refused by its size alone, without copying it
            return Optional.of(inspector.inspect(name, size, modified, "oversized-" + size + "-" + modified.toMillis(), target));
        }
        MessageDigest digest = sha256();
        try {
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest)) {
                Files.copy(in, target);
            }
            BasicFileAttributes after = Files.readAttributes(source, BasicFileAttributes.class);
            if (after.size() != size || !after.lastModifiedTime().equals(modified)) {
                deleteQuietly(target);
                return Optional.empty();
            }
        }
        catch (NoSuchFileException vanished) {
            deleteQuietly(target);
            return Optional.empty();
        }
        catch (IOException e) {
            deleteQuietly(target);
            String sha = "unreadable-" + size + "-" + modified.toMillis();
            return Optional.of(new PluginJar(name, size, modified, sha, target, "", "", "", "",
                    Optional.of("plugin jar '" + name + "' cannot be read (" + e.getMessage() + "): check its file permissions")));
        }
        return Optional.of(inspector.inspect(name, size, modified, HexFormat.of().formatHex(digest.digest()), target));
    }

    /** Deletes a staged copy. */
    void delete(Path staged)
    {
        deleteQuietly(staged);
    }

    /** Stops watching and deletes this host's staging folder. */
    @Override
    public void close()
    {
        watchService.ifPresent(service -> {
            try {
                service.close();
            }
            catch (IOException e) {
                log.warn("Cannot close the watch service of '{}': {}", options.pluginsDir(), e.getMessage());
            }
        });
        deleteRecursively(stagingDir);
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static void deleteQuietly(Path path)
    {
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException e) {
            log.warn("Cannot delete staged plugin copy '{}': {}", path, e.getMessage());
        }
    }

    private static void deleteRecursively(Path folder)
    {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(PluginFolder::deleteQuietly);
        }
        catch (IOException e) {
            log.warn("Cannot delete the plugin staging folder '{}': {}", folder, e.getMessage());
        }
    }

    /** A jar's size and time, and when the host first saw them. */
    private record Observation(long size, FileTime modified, long seenNanos)
    {
        /** Unchanged for the settle time, or last written at least that long ago. */
        boolean settled(long nowNanos, Duration settleTime)
        {
            long ageMillis = System.currentTimeMillis() - modified.toMillis();
            return nowNanos - seenNanos >= settleTime.toNanos() || ageMillis >= settleTime.toMillis();
        }
    }

}
