package io.runlight.hub.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.plugin.api.connector.ConnectorFactory;

import static java.util.Objects.requireNonNull;

/**
 * The hub's plugin manager (docs/architecture.md, decision 1): loads the connector plugin jars of
 * the plugins folder with PF4J, one class loader per plugin, and keeps following the
 * folder. A new jar is loaded and started; a jar replaced by new content (same file
 * name, or another file with the same {@code Plugin-Id}) is stopped and unloaded and
 * the new one loaded; a removed jar is stopped and unloaded. Jars are read only once
 * their size and time have settled, from a private copy. Jars that break a rule are
 * refused and failing plugins are marked failed; both stay in {@link #plugins()} with
 * their reason, and the hub keeps running.
 * <p>
 * Every call into plugin code goes through the plugin's {@link PluginCalls}: the
 * factories of {@link #connector} and the connectors and pushers they create do that
 * themselves.
 */
public final class PluginHost
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final PluginHostOptions options;
    private final Path stagingDir;
    private final PluginJarInspector inspector;
    private final HostPluginManager manager;
    private final Optional<WatchService> watchService;
    private final Thread watcher;
    private final StoppedTheHub stoppedTheHub;
    private final Thread exitRecorder;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<PluginListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong stagedCount = new AtomicLong();

    // guarded by lock
    private final Map<String, Observation> observed = new HashMap<>();
    private final Map<String, PluginJar> jars = new HashMap<>();
    private final Map<String, Loaded> loaded = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();
    private Optional<WatchKey> watchKey = Optional.empty();

    private volatile boolean waitingForSettle;
    private volatile boolean closed;
    private volatile List<PluginInfo> snapshot = List.of();
    private volatile Map<String, LoadedConnector> connectors = Map.of();

    private PluginHost(PluginHostOptions options, Path stagingDir, Optional<WatchService> watchService)
    {
        this.options = options;
        this.stagingDir = stagingDir;
        this.inspector = new PluginJarInspector(options.hubVersion(), PluginJarLimits.DEFAULT);
        this.manager = new HostPluginManager(stagingDir, inspector.comparableHubVersion());
        this.watchService = watchService;
        this.watcher = new Thread(this::watch, "runlight-plugin-watcher");
        this.watcher.setDaemon(true);
        this.stoppedTheHub = StoppedTheHub.open(options.stagingDir());
        this.exitRecorder = new Thread(stoppedTheHub::recordExits, "runlight-plugin-exit-recorder");
    }

    /**
     * Loads the plugins in the folder now and starts following it.
     *
     * @throws IllegalStateException if the plugins or staging folder cannot be created
     */
    public static PluginHost start(PluginHostOptions options)
    {
        requireNonNull(options, "options is null");
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
        PluginHost host = new PluginHost(options, stagingDir, watchService);
        Runtime.getRuntime().addShutdownHook(host.exitRecorder);
        try {
            host.rescan();
        }
        catch (RuntimeException e) {
            host.close();
            throw e;
        }
        host.watcher.start();
        log.info("Plugin host following '{}' (hub version {}): {}", options.pluginsDir(), options.hubVersion(), host.summary());
        return host;
    }

    /** The plugins folder this host follows. */
    public Path pluginsDir()
    {
        return options.pluginsDir();
    }

    /**
     * Every jar of the plugins folder and its state, sorted by plugin id, then jar file name.
     * A started plugin with a call that still runs after its timeout is FAILED (it gets no
     * calls) until that call returns. Never runs plugin code or blocks.
     */
    public List<PluginInfo> plugins()
    {
        List<PluginInfo> infos = snapshot;
        Map<String, LoadedConnector> started = connectors;
        List<PluginInfo> current = new ArrayList<>(infos.size());
        for (PluginInfo info : infos) {
            current.add(info.state() == PluginStatus.STARTED ? withRunawayCalls(info, started) : info);
        }
        return List.copyOf(current);
    }

    private static PluginInfo withRunawayCalls(PluginInfo info, Map<String, LoadedConnector> started)
    {
        for (LoadedConnector connector : started.values()) {
            if (connector.pluginId().equals(info.id()) && connector.generation() == info.generation()) {
                int running = connector.calls().abandonedCalls();
                if (running > 0) {
                    return new PluginInfo(info.id(), info.version(), info.provider(), info.description(), info.jar(), PluginStatus.FAILED,
                            Optional.of("plugin '" + info.id() + "' has " + running + (running == 1 ? " call" : " calls")
                                    + " still running after the call timeout; it gets no calls until they return: fix or remove the plugin"),
                            info.connectors(), info.generation());
                }
                return info;
            }
        }
        return info;
    }

    /** The factory of a started connector, by connector id; its methods run the plugin's code through {@link PluginCalls}. */
    public Optional<ConnectorFactory> factory(String connectorId)
    {
        return connector(connectorId).map(LoadedConnector::factory);
    }

    /** A started connector, by connector id, with its plugin, generation and call executor. */
    public Optional<LoadedConnector> connector(String connectorId)
    {
        requireNonNull(connectorId, "connectorId is null");
        return Optional.ofNullable(connectors.get(connectorId));
    }

    /** Every started connector, sorted by connector id. */
    public List<LoadedConnector> connectors()
    {
        return List.copyOf(connectors.values());
    }

    /**
     * Adds a listener and tells it at once about every plugin started so far, so that it
     * misses nothing.
     */
    public void addListener(PluginListener listener)
    {
        requireNonNull(listener, "listener is null");
        lock.lock();
        try {
            listeners.add(listener);
            for (Loaded plugin : sortedLoaded()) {
                notify(listener, plugin.info(), true);
            }
        }
        finally {
            lock.unlock();
        }
    }

    public void removeListener(PluginListener listener)
    {
        listeners.remove(requireNonNull(listener, "listener is null"));
    }

    /**
     * Scans the plugins folder now and applies what changed (jars still being written are
     * left for a later scan). The watcher does this on its own; tests and admin commands
     * may call it to not wait.
     */
    public void rescan()
    {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            ensureWatching();
            scan();
        }
        finally {
            lock.unlock();
        }
    }

    /** Stops following the folder, stops and unloads every plugin (closing their connectors) and deletes the staged copies. */
    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(exitRecorder);
        }
        catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and runs the hook anyway: it records nothing unless a plugin call is exiting
        }
        watchService.ifPresent(service -> {
            try {
                service.close();
            }
            catch (IOException e) {
                log.warn("Cannot close the watch service of '{}': {}", options.pluginsDir(), e.getMessage());
            }
        });
        watcher.interrupt();
        if (watcher.isAlive()) {
            try {
                watcher.join(CLOSE_WAIT.toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            List<PluginInfo> last = snapshot;
            for (Loaded plugin : sortedLoaded()) {
                unload(plugin, "the hub is stopping");
            }
            connectors = Map.of();
            snapshot = last.stream()
                    .map(info -> info.state() == PluginStatus.STARTED ? info.withState(PluginStatus.STOPPED) : info)
                    .toList();
            deleteRecursively(stagingDir);
        }
        finally {
            lock.unlock();
        }
        log.info("Plugin host of '{}' stopped", options.pluginsDir());
    }

    private void watch()
    {
        while (!closed) {
            long waitMillis = waitingForSettle ? Math.max(25, options.settleTime().toMillis() / 4) : options.rescanInterval().toMillis();
            try {
                if (watchService.isPresent()) {
                    WatchKey key = watchService.get().poll(waitMillis, TimeUnit.MILLISECONDS);
                    while (key != null) {
                        // what changed does not matter: the scan compares the whole folder
                        key.pollEvents();
                        key.reset();
                        key = watchService.get().poll();
                    }
                }
                else {
                    Thread.sleep(waitMillis);
                }
            }
            catch (InterruptedException | ClosedWatchServiceException e) {
                if (closed) {
                    return;
                }
                // not closing: an interrupt from elsewhere; keep following the folder
            }
            try {
                rescan();
            }
            catch (Throwable e) {
                // whatever one scan throws (even an Error), the watcher must live on: later jars depend on it
                log.error("Scanning the plugins folder '{}' failed; trying again in {}", options.pluginsDir(), options.rescanInterval(), e);
            }
        }
    }

    private void ensureWatching()
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

    private void scan()
    {
        long now = System.nanoTime();
        Map<String, BasicFileAttributes> present = listJars();
        boolean waiting = false;

        observed.keySet().retainAll(present.keySet());
        failures.keySet().retainAll(present.keySet());
        for (String name : new ArrayList<>(jars.keySet())) {
            if (!present.containsKey(name)) {
                discard(jars.remove(name));
            }
        }
        for (Map.Entry<String, BasicFileAttributes> entry : present.entrySet()) {
            String name = entry.getKey();
            long size = entry.getValue().size();
            FileTime modified = entry.getValue().lastModifiedTime();
            PluginJar known = jars.get(name);
            if (known != null && known.size() == size && known.modified().equals(modified)) {
                continue;
            }
            Observation seen = observed.get(name);
            if (seen == null || seen.size() != size || !seen.modified().equals(modified)) {
                seen = new Observation(size, modified, now);
                observed.put(name, seen);
            }
            if (!seen.settled(now, options.settleTime())) {
                waiting = true;
                continue;
            }
            Optional<PluginJar> staged;
            try {
                staged = stage(name, size, modified);
            }
            catch (Throwable e) {
                // one jar must never stop the scan of the others, whatever it makes the reader throw
                log.error("Plugin jar '{}' could not be inspected", name, e);
                staged = Optional.of(new PluginJar(name, size, modified, "uninspectable-" + size + "-" + modified.toMillis(),
                        stagingDir.resolve("uninspectable-" + name), "", "", "", "",
                        Optional.of("plugin jar '" + name + "' could not be inspected (" + e + "): rebuild the plugin")));
            }
            if (staged.isEmpty()) {
                waiting = true;
                continue;
            }
            PluginJar jar = staged.get();
            if (known != null && known.sha256().equals(jar.sha256())) {
                deleteQuietly(jar.staged());
                jars.put(name, known.touched(size, modified));
                continue;
            }
            if (known != null) {
                discard(known);
            }
            if (jar.accepted()) {
                jar = stoppedTheHub.refusal(jar).map(jar::refused).orElse(jar);
            }
            jars.put(name, jar);
            jar.refusal().ifPresent(reason -> log.warn("Plugin jar '{}' refused: {}", name, reason));
        }
        waitingForSettle = waiting;

        Map<String, PluginJar> winners = winners();
        for (Loaded current : sortedLoaded()) {
            PluginJar wanted = winners.get(current.jar().id());
            if (wanted == null) {
                unload(current, "its jar '" + current.jar().jar() + "' was removed");
            }
            else if (!wanted.jar().equals(current.jar().jar()) || !wanted.sha256().equals(current.jar().sha256())) {
                unload(current, "it is replaced by jar '" + wanted.jar() + "' (version " + wanted.version() + ")");
            }
        }
        for (PluginJar wanted : winners.values()) {
            if (loaded.containsKey(wanted.id())) {
                continue;
            }
            Failure failed = failures.get(wanted.jar());
            if (failed != null && failed.sha256().equals(wanted.sha256())) {
                continue;
            }
            load(wanted);
        }
        publish(winners);
    }

    /** Per plugin id, the jar to run: the most recently modified, then the higher version, then the first name. */
    private Map<String, PluginJar> winners()
    {
        Comparator<PluginJar> preference = Comparator.comparing(PluginJar::modified)
                .thenComparing(PluginJar::version, this::compareVersions)
                .thenComparing(PluginJar::jar, Comparator.reverseOrder());
        Map<String, PluginJar> winners = new TreeMap<>();
        for (PluginJar jar : jars.values()) {
            if (jar.accepted()) {
                winners.merge(jar.id(), jar, (first, second) -> preference.compare(first, second) >= 0 ? first : second);
            }
        }
        return winners;
    }

    private int compareVersions(String first, String second)
    {
        try {
            return inspector.versions().compareVersions(first, second);
        }
        catch (RuntimeException notSemantic) {
            return first.compareTo(second);
        }
    }

    private void load(PluginJar jar)
    {
        String pluginId = jar.id();
        long generation = generations.merge(pluginId, 1L, Long::sum);
        PluginCalls calls = null;
        try {
            String loadedId = manager.loadPlugin(jar.staged());
            PluginWrapper wrapper = manager.getPlugin(loadedId);
            if (!loadedId.equals(pluginId)) {
                throw new LoadFailure("PF4J read Plugin-Id '" + loadedId + "' from jar '" + jar.jar() + "', the host read '" + pluginId + "'");
            }
            if (wrapper.getPluginState() == PluginState.DISABLED) {
                throw new LoadFailure("PF4J disabled plugin '" + pluginId + "' from jar '" + jar.jar() + "' (Plugin-Requires not met by " + manager.getSystemVersion() + ")");
            }
            calls = new PluginCalls(pluginId, generation, wrapper.getPluginClassLoader(), options.callTimeout(), options.maxConcurrentCalls());
            stoppedTheHub.track(calls, jar);
            manager.registerCalls(pluginId, calls);
            PluginState state = manager.startPlugin(pluginId);
            if (state != PluginState.STARTED) {
                throw new LoadFailure("PF4J did not start plugin '" + pluginId + "' from jar '" + jar.jar() + "': it is " + state);
            }
            List<GuardedConnectorFactory> factories = discover(jar, calls);
            List<ConnectorInfo> infos = factories.stream().map(factory -> new ConnectorInfo(factory.id(), factory.displayName(), factory.description(),
                    List.copyOf(factory.capabilities()), factory.configProperties())).toList();
            PluginInfo info = new PluginInfo(jar.id(), jar.version(), jar.provider(), jar.description(), jar.jar(), PluginStatus.STARTED, Optional.empty(),
                    infos, generation);
            Loaded plugin = new Loaded(jar, generation, calls, factories, info);
            loaded.put(pluginId, plugin);
            failures.remove(jar.jar());
            log.info("Plugin '{}' {} started from jar '{}' (generation {}), connectors {}", pluginId, jar.version(), jar.jar(), generation,
                    infos.stream().map(ConnectorInfo::id).toList());
            for (PluginListener listener : listeners) {
                notify(listener, info, true);
            }
        }
        catch (Throwable e) {
            // PF4J reads the jar too (its extension finder, its class loader): nothing it throws may escape the host
            String reason = e instanceof PluginCallException || e instanceof LoadFailure ? e.getMessage()
                    : "plugin '" + pluginId + "' from jar '" + jar.jar() + "' failed to load: " + e;
            log.error("Plugin jar '{}' failed: {}", jar.jar(), reason, e);
            abandon(pluginId, calls);
            failures.put(jar.jar(), new Failure(jar.sha256(), jar.info(PluginStatus.FAILED, Optional.of(reason), generation)));
        }
    }

    private List<GuardedConnectorFactory> discover(PluginJar jar, PluginCalls calls)
    {
        String pluginId = jar.id();
        // loading the classes runs no plugin code (no static initialisers); creating and describing them does
        List<Class<? extends ConnectorFactory>> types = manager.getExtensionClasses(ConnectorFactory.class, pluginId);
        if (types.isEmpty()) {
            Set<String> listed = manager.getExtensionClassNames(pluginId);
            throw new LoadFailure(listed.isEmpty()
                    ? "plugin '" + pluginId + "' from jar '" + jar.jar() + "' lists no extensions in META-INF/extensions.idx: annotate its ConnectorFactory with @Extension and let the PF4J annotation processor write the index"
                    : "plugin '" + pluginId + "' from jar '" + jar.jar() + "' lists " + new TreeSet<>(listed) + " in META-INF/extensions.idx, but none is a ConnectorFactory that can be loaded");
        }
        Map<String, String> owners = new HashMap<>();
        for (Loaded other : loaded.values()) {
            for (GuardedConnectorFactory factory : other.factories()) {
                owners.put(factory.id(), "plugin '" + other.jar().id() + "' (jar '" + other.jar().jar() + "')");
            }
        }
        List<GuardedConnectorFactory> factories = new ArrayList<>();
        for (Class<? extends ConnectorFactory> type : types.stream().sorted(Comparator.comparing(Class::getName)).toList()) {
            ConnectorFactory factory = calls.call("ConnectorFactory.<init> (" + type.getName() + ")", () -> instantiate(type));
            ConnectorInfo info = calls.call("ConnectorFactory.describe (" + type.getName() + ")", () -> new ConnectorInfo(factory.id(), factory.displayName(),
                    factory.description(), List.copyOf(factory.capabilities()), factory.configProperties()));
            if (!info.id().matches("[a-z0-9][a-z0-9._-]*")) {
                throw new LoadFailure("plugin '" + pluginId + "': connector id '" + info.id() + "' of " + type.getName()
                        + " is invalid: use lower-case letters, digits, '.', '_' and '-'");
            }
            String owner = owners.putIfAbsent(info.id(), "plugin '" + pluginId + "' (jar '" + jar.jar() + "')");
            if (owner != null) {
                throw new LoadFailure("plugin '" + pluginId + "': connector '" + info.id() + "' is already provided by " + owner + ": remove one of the jars");
            }
            factories.add(new GuardedConnectorFactory(calls.hold(factory), info));
        }
        return List.copyOf(factories);
    }

    private static ConnectorFactory instantiate(Class<? extends ConnectorFactory> type)
            throws Exception
    {
        try {
            return type.getDeclaredConstructor().newInstance();
        }
        catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Tears down what a failed load left behind, so that its class loader can go. */
    private void abandon(String pluginId, PluginCalls calls)
    {
        if (manager.getPlugin(pluginId) != null) {
            try {
                manager.stopPlugin(pluginId);
            }
            catch (RuntimeException | LinkageError e) {
                log.warn("Plugin '{}' did not stop cleanly: {}", pluginId, e.getMessage());
            }
        }
        if (calls != null) {
            stoppedTheHub.untrack(calls);
            calls.close();
        }
        if (manager.getPlugin(pluginId) != null) {
            try {
                manager.unloadPlugin(pluginId);
            }
            catch (RuntimeException | LinkageError e) {
                log.warn("Plugin '{}' did not unload cleanly: {}", pluginId, e.getMessage());
            }
        }
        manager.unregisterCalls(pluginId);
    }

    private void unload(Loaded plugin, String why)
    {
        String pluginId = plugin.jar().id();
        for (PluginListener listener : listeners) {
            notify(listener, plugin.info(), false);
        }
        for (GuardedConnectorFactory factory : plugin.factories()) {
            for (GuardedConnector connector : factory.openConnectors()) {
                try {
                    connector.close();
                }
                catch (RuntimeException e) {
                    log.warn("A connector of plugin '{}' did not close cleanly: {}", pluginId, e.getMessage());
                }
            }
        }
        loaded.remove(pluginId);
        int runaway = plugin.calls().abandonedCalls();
        abandon(pluginId, plugin.calls());
        if (runaway > 0) {
            // the JVM cannot stop a thread that ignores interruption; say so rather than pretend
            log.warn("Plugin '{}' leaves {} call thread(s) running that ignored interruption; they end only with the hub process", pluginId, runaway);
        }
        if (!stagedInUse(plugin.jar().staged())) {
            deleteQuietly(plugin.jar().staged());
        }
        log.info("Plugin '{}' {} (jar '{}', generation {}) unloaded: {}", pluginId, plugin.jar().version(), plugin.jar().jar(), plugin.generation(), why);
    }

    private void publish(Map<String, PluginJar> winners)
    {
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginJar jar : jars.values()) {
            long generation = generations.getOrDefault(jar.id(), 0L);
            if (jar.refusal().isPresent()) {
                infos.add(jar.info(PluginStatus.REFUSED, jar.refusal(), generation));
                continue;
            }
            Loaded plugin = loaded.get(jar.id());
            Failure failure = failures.get(jar.jar());
            PluginJar winner = winners.get(jar.id());
            if (plugin != null && plugin.jar().jar().equals(jar.jar()) && plugin.jar().sha256().equals(jar.sha256())) {
                infos.add(plugin.info());
            }
            else if (failure != null && failure.sha256().equals(jar.sha256())) {
                infos.add(failure.info());
            }
            else if (winner != null && winner != jar) {
                infos.add(jar.info(PluginStatus.REFUSED, Optional.of("plugin jar '" + jar.jar() + "' is superseded by '" + winner.jar()
                        + "' with the same Plugin-Id '" + jar.id() + "' (the most recently modified jar is used): remove one of them"), generation));
            }
            else {
                infos.add(jar.info(PluginStatus.LOADED, Optional.empty(), generation));
            }
        }
        infos.sort(PluginInfo.ORDER);
        Map<String, LoadedConnector> started = new TreeMap<>();
        for (Loaded plugin : loaded.values()) {
            for (GuardedConnectorFactory factory : plugin.factories()) {
                ConnectorInfo info = plugin.info().connectors().stream().filter(connector -> connector.id().equals(factory.id())).findFirst().orElseThrow();
                started.put(factory.id(), new LoadedConnector(plugin.jar().id(), plugin.generation(), info, factory, plugin.calls()));
            }
        }
        snapshot = List.copyOf(infos);
        connectors = Collections.unmodifiableMap(new LinkedHashMap<>(started));
    }

    private Map<String, BasicFileAttributes> listJars()
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
        return present;
    }

    /** Copies a jar to the staging folder and reads it; empty if it vanished or changed while being copied. */
    private Optional<PluginJar> stage(String name, long size, FileTime modified)
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

    private void discard(PluginJar jar)
    {
        if (!stagedInUse(jar.staged())) {
            deleteQuietly(jar.staged());
        }
    }

    private boolean stagedInUse(Path staged)
    {
        return loaded.values().stream().anyMatch(plugin -> plugin.jar().staged().equals(staged))
                || jars.values().stream().anyMatch(jar -> jar.staged().equals(staged));
    }

    private List<Loaded> sortedLoaded()
    {
        return loaded.values().stream().sorted(Comparator.comparing(plugin -> plugin.jar().id())).toList();
    }

    private void notify(PluginListener listener, PluginInfo info, boolean started)
    {
        try {
            if (started) {
                listener.pluginStarted(info);
            }
            else {
                listener.pluginStopping(info);
            }
        }
        catch (RuntimeException e) {
            log.error("Plugin listener {} failed on plugin '{}'", listener, info.id(), e);
        }
    }

    private String summary()
    {
        List<String> parts = new ArrayList<>();
        for (PluginInfo info : snapshot) {
            parts.add(info.jar() + "=" + info.state());
        }
        return parts.isEmpty() ? "no plugin jars" : String.join(", ", parts);
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
            paths.sorted(Comparator.reverseOrder()).forEach(PluginHost::deleteQuietly);
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

    /** A started plugin. */
    private record Loaded(PluginJar jar, long generation, PluginCalls calls, List<GuardedConnectorFactory> factories, PluginInfo info) {}

    /** A plugin that breaks a rule only visible once loaded; its message is the whole reason. */
    private static final class LoadFailure
            extends RuntimeException
    {
        LoadFailure(String message)
        {
            super(message);
        }
    }

    /** A jar whose plugin failed to load, so the same content is not tried again at every scan. */
    private record Failure(String sha256, PluginInfo info) {}
}
