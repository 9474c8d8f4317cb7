package io.runlight.hub.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Remembers plugin jars that ended the hub's process, so that the next start refuses them
 * instead of crash-looping. The JDK has no SecurityManager any more, and a bytecode check
 * ({@link PluginJarContents}) misses a reflective {@code System.exit}; but an exit runs the
 * shutdown hooks while the exiting thread waits inside {@code java.lang.Shutdown}, so a hook
 * can see which plugin call that thread runs. Such jars are written, by SHA-256, to a file
 * in the staging folder (which outlives the process); a jar with other content is tried again.
 */
final class StoppedTheHub
{
    private static final Logger log = LoggerFactory.getLogger(StoppedTheHub.class);
    static final String FILE_NAME = "plugins-that-stopped-the-hub.txt";

    private final Path file;
    private final Map<String, String> remembered;
    private final Map<PluginCalls, PluginJar> active = new ConcurrentHashMap<>();

    private StoppedTheHub(Path file, Map<String, String> remembered)
    {
        this.file = file;
        this.remembered = remembered;
    }

    /** Reads what earlier runs recorded in {@code folder}. */
    static StoppedTheHub open(Path folder)
    {
        Path file = folder.resolve(FILE_NAME);
        Map<String, String> remembered = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    remembered.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        }
        catch (NoSuchFileException none) {
            // no plugin ever stopped the hub
        }
        catch (IOException e) {
            log.warn("Cannot read '{}' ({}): plugins that stopped the hub before are not known", file, e.getMessage());
        }
        return new StoppedTheHub(file, remembered);
    }

    /** Why this jar content is refused, if it stopped the hub before. */
    Optional<String> refusal(PluginJar jar)
    {
        String how = remembered.get(jar.sha256());
        if (how == null) {
            return Optional.empty();
        }
        return Optional.of("plugin jar '" + jar.jar() + "' stopped the hub during an earlier run (" + how + "); it stays refused while its content is the same: "
                + "fix the plugin, or remove the jar and its line from " + file);
    }

    /** Follows the calls of a plugin being loaded or started. */
    void track(PluginCalls calls, PluginJar jar)
    {
        active.put(requireNonNull(calls, "calls is null"), requireNonNull(jar, "jar is null"));
    }

    void untrack(PluginCalls calls)
    {
        active.remove(calls);
    }

    /**
     * Run by a shutdown hook: records the jars whose call threads wait inside an exit.
     * Takes no lock (the exiting thread may hold the host's).
     */
    void recordExits()
    {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<PluginCalls, PluginJar> entry : active.entrySet()) {
            for (Map.Entry<Thread, String> call : entry.getKey().runningCalls().entrySet()) {
                Optional<String> exit = exitIn(call.getKey().getStackTrace());
                if (exit.isPresent()) {
                    PluginJar jar = entry.getValue();
                    String how = "plugin '" + jar.id() + "' called " + exit.get() + " in " + call.getValue();
                    lines.append(jar.sha256()).append('\t').append(how).append('\n');
                    log.error("Plugin jar '{}' is stopping the hub: {}; it will be refused at the next start", jar.jar(), how);
                }
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        try {
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        }
        catch (IOException e) {
            log.error("Cannot record the plugins that stopped the hub in '{}'", file, e);
        }
    }

    private static Optional<String> exitIn(StackTraceElement[] stack)
    {
        List<StackTraceElement> frames = List.of(stack);
        for (int i = frames.size() - 1; i >= 0; i--) {
            StackTraceElement frame = frames.get(i);
            if (frame.getClassName().equals("java.lang.System") && frame.getMethodName().equals("exit")) {
                return Optional.of("System.exit");
            }
            if (frame.getClassName().equals("java.lang.Runtime") && (frame.getMethodName().equals("exit") || frame.getMethodName().equals("halt"))) {
                return Optional.of("Runtime." + frame.getMethodName());
            }
        }
        return Optional.empty();
    }
}
