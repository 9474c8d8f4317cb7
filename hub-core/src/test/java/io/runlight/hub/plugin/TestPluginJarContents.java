package io.runlight.hub.plugin;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bytecode check of a plugin jar for calls that stop the JVM: found through method
 * references as through calls, and not fooled by classes that only say "exit" (most
 * classes, which do not say it at all, are not visited).
 */
class TestPluginJarContents
{
    @TempDir
    Path folder;

    @Test
    void findsStopsThroughMethodReferencesAndDirectCalls()
            throws Exception
    {
        Path jar = PluginJarBuilder.compile("plugins/stop-references").plugin("stops", "1.0.0")
                .extension("com.stops.Plain").writeInto(folder, "stops.jar");
        Path quitter = PluginJarBuilder.compile("plugins/quitter").plugin("quitter", "1.0.0")
                .extension("com.quitter.Quitter").writeInto(folder, "quitter.jar");

        assertThat(PluginJarContents.read(jar, PluginJarLimits.DEFAULT).stopCalls()).containsExactly(
                "com.stops.ByReference.exit calls java.lang.System.exit",
                "com.stops.ByReference.halt calls java.lang.Runtime.halt");
        assertThat(PluginJarContents.read(quitter, PluginJarLimits.DEFAULT).stopCalls()).containsExactly(
                "com.quitter.Quitter.giveUp calls java.lang.Runtime.halt",
                "com.quitter.Quitter.giveUp calls java.lang.System.exit");
    }

    @Test
    void classesThatOnlySayExitOrNothingAreClean()
            throws Exception
    {
        PluginJarBuilder.Compiled compiled = PluginJarBuilder.compile("plugins/stop-references");
        PluginJarBuilder.Compiled clean = new PluginJarBuilder.Compiled(Map.of(
                "com/stops/ExitCodes.class", compiled.classes().get("com/stops/ExitCodes.class"),
                "com/stops/Plain.class", compiled.classes().get("com/stops/Plain.class")));
        Path jar = clean.plugin("clean", "1.0.0").extension("com.stops.Plain").writeInto(folder, "clean.jar");

        assertThat(PluginJarContents.read(jar, PluginJarLimits.DEFAULT).stopCalls()).isEmpty();
    }
}
