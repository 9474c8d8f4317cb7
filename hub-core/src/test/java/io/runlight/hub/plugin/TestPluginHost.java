package io.runlight.hub.plugin;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorFactory;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;

import static io.runlight.hub.Await.await;
import static io.runlight.hub.plugin.PluginTesting.change;
import static io.runlight.hub.plugin.PluginTesting.config;
import static io.runlight.hub.plugin.PluginTesting.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The plugin host with real plugin jars compiled at test time and dropped into a
 * watched folder.
 */
class TestPluginHost
{
    private static final String HUB_VERSION = "1.2.0-SNAPSHOT";
    private static final String FACTORY = "com.acme.runlight.AcmeConnectorFactory";
    private static final Duration APPEARS_WITHIN = Duration.ofSeconds(5);

    private static PluginJarBuilder.Compiled v1;
    private static PluginJarBuilder.Compiled v2;

    @TempDir
    Path temp;

    private PluginHost host;

    @BeforeAll
    static void compilePlugins()
    {
        v1 = PluginJarBuilder.compile("plugins/acme-v1");
        v2 = PluginJarBuilder.compile("plugins/acme-v2");
    }

    @AfterEach
    void closeHost()
    {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void loadsAJarDroppedIntoTheFolderReplacesItWithV2AndUnloadsItWithoutLeakingItsClassLoader()
            throws Exception
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofSeconds(10));
        List<String> events = new CopyOnWriteArrayList<>();
        host.addListener(new PluginListener()
        {
            @Override
            public void pluginStarted(PluginInfo plugin)
            {
                events.add("started " + plugin.id() + " " + plugin.version() + " generation " + plugin.generation());
            }

            @Override
            public void pluginStopping(PluginInfo plugin)
            {
                events.add("stopping " + plugin.id() + " " + plugin.version() + " generation " + plugin.generation());
            }
        });
        assertThat(host.plugins()).isEmpty();

        // written straight into place, as a slow copy would be: the host waits for it to settle
        acme(v1, "1.0.0").writeInto(plugins, "acme.jar");
        await("acme 1.0.0 to start", APPEARS_WITHIN, () -> started("acme", "1.0.0"));

        assertThat(host.plugins()).containsExactly(new PluginInfo("acme", "1.0.0", "ACME Corp", "ACME Security connector", "acme.jar", PluginStatus.STARTED,
                Optional.empty(), List.of(new ConnectorInfo("acme", "ACME Security", "Posts image insights to ACME (library copy: plugin)", List.of(Capability.PUSH),
                        List.of(ConfigProperty.required("url", ConfigType.URL, "Where insights are posted"),
                                ConfigProperty.required("apiKey", ConfigType.STRING, "The ACME API key").asSecret(),
                                ConfigProperty.optional("mode", ConfigType.STRING, "normal", "normal, fail-create or hang-translate")))), 1));
        LoadedConnector first = host.connector("acme").orElseThrow();
        assertThat(first.pluginId()).isEqualTo("acme");
        assertThat(first.generation()).isEqualTo(1);

        Connector connector = first.factory().create(config("normal"), context());
        Pusher pusher = connector.pusher().orElseThrow();
        PushMessage message = pusher.translate(change()).get(0);
        // inside the plugin call the context class loader is the plugin's; the plugin's own copy of a shared class wins
        assertThat(message.attributes()).isEqualTo(Map.of(
                "pluginVersion", "1.0.0",
                "contextLoaderIsPlugin", "true",
                "contextLoaderClass", RunlightPluginClassLoader.class.getName(),
                "library", "plugin"));
        assertThat(SharedLibraryProbe.origin()).isEqualTo("hub");
        assertThat(Thread.currentThread().getContextClassLoader()).isNotInstanceOf(RunlightPluginClassLoader.class);
        OutboundRequest request = pusher.prepare(message, new DeliveryAttempt("d-1", 1, PluginTesting.change().time()));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:9/v1/insights"));
        assertThat(request.headers().get("Idempotency-Key")).containsExactly("d-1");
        assertThat(request.bodyText())
                .isEqualTo("{\"image\":\"" + PluginTesting.DIGEST + "\",\"in_use\":2,\"plugin_version\":\"1.0.0\"}");

        // v2 replaces the jar in place
        acme(v2, "2.0.0").installInto(plugins, "acme.jar");
        await("acme 2.0.0 to replace 1.0.0", APPEARS_WITHIN, () -> started("acme", "2.0.0"));
        assertThat(host.plugins()).hasSize(1);
        LoadedConnector second = host.connector("acme").orElseThrow();
        assertThat(second.generation()).isEqualTo(2);
        assertThat(second.info().displayName()).isEqualTo("ACME Security 2");
        assertThat(second.factory().displayName()).isEqualTo("ACME Security 2");
        Pusher pusher2 = second.factory().create(config("normal"), context()).pusher().orElseThrow();
        assertThat(pusher2.translate(change()).get(0).attributes()).containsEntry("pluginVersion", "2.0.0");
        // what was made from version 1 was closed and let go of
        assertThatThrownBy(() -> pusher.translate(change()))
                .isInstanceOfSatisfying(PluginCallException.class, e -> assertThat(e.category()).isEqualTo(PluginCallException.Category.UNAVAILABLE))
                .hasMessage("plugin 'acme': Pusher.translate (connector 'acme') was unloaded");
        assertThat(events).containsExactly("started acme 1.0.0 generation 1", "stopping acme 1.0.0 generation 1", "started acme 2.0.0 generation 2");

        WeakReference<ClassLoader> loader = new WeakReference<>(second.calls().classLoader().orElseThrow());
        second = null;
        pusher2 = null;
        first = null;
        connector = null;

        Files.delete(plugins.resolve("acme.jar"));
        await("acme to be unloaded", APPEARS_WITHIN, () -> host.plugins().isEmpty());
        assertThat(host.connector("acme")).isEmpty();
        assertThat(host.factory("acme")).isEmpty();
        assertThat(events).last().isEqualTo("stopping acme 2.0.0 generation 2");
        await("the plugin's class loader to be garbage-collected", Duration.ofSeconds(15), () -> {
            System.gc();
            return loader.get() == null;
        });
    }

    @Test
    void loadsJarsPresentAtStartAndPrefersTheMostRecentOfTwoJarsWithTheSamePluginId()
            throws Exception
    {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        Path old = acme(v1, "1.0.0").installInto(plugins, "acme-1.0.0.jar");
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        host = start(plugins, Duration.ofSeconds(10));
        assertThat(host.plugins()).extracting(PluginInfo::jar, PluginInfo::state).containsExactly(tuple("acme-1.0.0.jar", PluginStatus.STARTED));

        acme(v2, "2.0.0").installInto(plugins, "acme-2.0.0.jar");
        await("acme 2.0.0 to start", APPEARS_WITHIN, () -> started("acme", "2.0.0"));
        assertThat(host.plugins()).extracting(PluginInfo::jar, PluginInfo::state, PluginInfo::error).containsExactly(
                tuple("acme-1.0.0.jar", PluginStatus.REFUSED, Optional.of(
                        "plugin jar 'acme-1.0.0.jar' is superseded by 'acme-2.0.0.jar' with the same Plugin-Id 'acme' (the most recently modified jar is used): remove one of them")),
                tuple("acme-2.0.0.jar", PluginStatus.STARTED, Optional.empty()));

        Files.delete(plugins.resolve("acme-2.0.0.jar"));
        await("acme 1.0.0 to come back", APPEARS_WITHIN, () -> started("acme", "1.0.0"));
        assertThat(host.connector("acme").orElseThrow().generation()).isEqualTo(3);
    }

    @Test
    void refusesAJarBundlingTheApiAndAJarForANewerHubWhileTheGoodPluginKeepsWorking()
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofSeconds(10));
        acme(v1, "1.0.0").installInto(plugins, "acme.jar");
        v1.plugin("acme-bundled", "1.0.0").extension(FACTORY).bundlingTheApi().installInto(plugins, "acme-bundled.jar");
        v1.plugin("acme-future", "1.0.0").extension(FACTORY).requires(">=99.0.0").installInto(plugins, "acme-future.jar");
        // not jars, or not finished: never read
        acme(v1, "1.0.0").writeInto(plugins, "acme-copy.jar.tmp");
        acme(v1, "1.0.0").writeInto(plugins, ".acme-partial.jar");

        await("three jars to be listed", APPEARS_WITHIN, () -> host.plugins().size() == 3 && started("acme", "1.0.0"));
        assertThat(host.plugins()).extracting(PluginInfo::id, PluginInfo::jar, PluginInfo::state, PluginInfo::error).containsExactly(
                tuple("acme", "acme.jar", PluginStatus.STARTED, Optional.empty()),
                tuple("acme-bundled", "acme-bundled.jar", PluginStatus.REFUSED, Optional.of(
                        "plugin jar 'acme-bundled.jar' bundles its own copy of the Runlight plugin API (io/runlight/plugin/api/connector/ConnectorFactory.class): "
                                + "declare runlight-plugin-api as provided")),
                tuple("acme-future", "acme-future.jar", PluginStatus.REFUSED, Optional.of(
                        "plugin jar 'acme-future.jar' requires Runlight >=99.0.0 but this hub is 1.2.0-SNAPSHOT: "
                                + "install a version of the plugin made for this hub, or upgrade the hub")));
        assertThat(host.plugins().get(1).generation()).isZero();

        ConnectorFactory factory = host.factory("acme").orElseThrow();
        assertThat(factory.create(config("normal"), context()).pusher().orElseThrow().translate(change())).hasSize(1);
    }

    @Test
    void reportsAJarWithoutConnectorFactoriesAsFailedAndLoadsItOnceFixed()
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofSeconds(10));
        v1.plugin("acme", "1.0.0").installInto(plugins, "acme.jar");
        await("the jar to fail", APPEARS_WITHIN, () -> host.plugins().size() == 1 && host.plugins().get(0).state() == PluginStatus.FAILED);
        assertThat(host.plugins().get(0).error()).contains("plugin 'acme' from jar 'acme.jar' "
                + "lists no extensions in META-INF/extensions.idx: annotate its ConnectorFactory with @Extension and let the PF4J annotation processor write the index");
        assertThat(host.connector("acme")).isEmpty();

        acme(v1, "1.0.1").installInto(plugins, "acme.jar");
        await("the fixed jar to start", APPEARS_WITHIN, () -> started("acme", "1.0.1"));
        assertThat(host.connector("acme").orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void isolatesAPluginThatThrowsOrHangsAndNamesItWithinTheTimeout()
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofSeconds(1));
        acme(v1, "1.0.0").installInto(plugins, "acme.jar");
        await("acme to start", APPEARS_WITHIN, () -> started("acme", "1.0.0"));
        ConnectorFactory factory = host.factory("acme").orElseThrow();

        assertThatThrownBy(() -> factory.create(config("fail-create"), context()))
                .isInstanceOfSatisfying(PluginCallException.class, e -> {
                    assertThat(e.category()).isEqualTo(PluginCallException.Category.THREW);
                    assertThat(e.pluginId()).isEqualTo("acme");
                    assertThat(e.operation()).isEqualTo("ConnectorFactory.create (connector 'acme')");
                })
                .hasMessage("plugin 'acme': ConnectorFactory.create (connector 'acme') threw java.lang.IllegalStateException: ACME cannot start in mode fail-create");

        Pusher hanging = factory.create(config("hang-translate"), context()).pusher().orElseThrow();
        long started = System.nanoTime();
        assertThatThrownBy(() -> hanging.translate(change()))
                .isInstanceOfSatisfying(PluginCallException.class, e -> {
                    assertThat(e.category()).isEqualTo(PluginCallException.Category.TIMED_OUT);
                    assertThat(e.pluginId()).isEqualTo("acme");
                })
                .hasMessage("plugin 'acme': Pusher.translate (connector 'acme') did not return within 1000 ms; its thread was interrupted and abandoned");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1800));

        // the interrupted thread returns; the plugin keeps working
        PluginCalls calls = host.connector("acme").orElseThrow().calls();
        await("the abandoned call to end", Duration.ofSeconds(5), () -> calls.abandonedCalls() == 0);
        assertThat(factory.create(config("normal"), context()).pusher().orElseThrow().translate(change())).hasSize(1);
        assertThat(host.plugins().get(0).state()).isEqualTo(PluginStatus.STARTED);
    }

    private PluginHost start(Path plugins, Duration callTimeout)
    {
        return PluginHost.start(PluginHostOptions.defaults(plugins, HUB_VERSION)
                .withStagingDir(temp.resolve("staging"))
                .withCallTimeout(callTimeout)
                .withSettleTime(Duration.ofMillis(200))
                .withRescanInterval(Duration.ofSeconds(1)));
    }

    private boolean started(String pluginId, String version)
    {
        return host.plugins().stream().anyMatch(info -> info.id().equals(pluginId) && info.version().equals(version) && info.state() == PluginStatus.STARTED);
    }

    private static PluginJarBuilder acme(PluginJarBuilder.Compiled classes, String version)
    {
        return classes.plugin("acme", version).requires(">=1.0.0").extension(FACTORY);
    }
}
