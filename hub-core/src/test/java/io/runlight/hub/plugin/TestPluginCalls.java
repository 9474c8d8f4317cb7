package io.runlight.hub.plugin;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.runlight.hub.Await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Calls into plugin code: context class loader, timeouts, failure categories, slots.
 */
class TestPluginCalls
{
    private final ClassLoader pluginLoader = new URLClassLoader("test-plugin", new URL[0], TestPluginCalls.class.getClassLoader());

    @Test
    void runsWithThePluginsContextClassLoaderAndRestoresIt()
    {
        try (PluginCalls calls = new PluginCalls("acme", 1, pluginLoader, Duration.ofSeconds(5), 2)) {
            assertThat(calls.call("probe", () -> Thread.currentThread().getContextClassLoader())).isSameAs(pluginLoader);
            assertThat(calls.call("probe", () -> Thread.currentThread().getName())).startsWith("runlight-plugin-acme-1-");
            assertThat(Thread.currentThread().getContextClassLoader()).isNotSameAs(pluginLoader);
        }
    }

    @Test
    void namesThePluginAndTheOperationForEachCategory()
    {
        try (PluginCalls calls = new PluginCalls("acme", 3, pluginLoader, Duration.ofMillis(300), 2)) {
            assertThatThrownBy(() -> calls.call("Pusher.translate", () -> {
                throw new IllegalArgumentException("bad change");
            }))
                    .isInstanceOfSatisfying(PluginCallException.class, e -> assertThat(e.category()).isEqualTo(PluginCallException.Category.THREW))
                    .hasMessage("plugin 'acme': Pusher.translate threw java.lang.IllegalArgumentException: bad change")
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> calls.call("Pusher.prepare", () -> {
                throw new NoClassDefFoundError("com/fasterxml/jackson/databind/ObjectMapper");
            }))
                    .isInstanceOfSatisfying(PluginCallException.class, e -> assertThat(e.category()).isEqualTo(PluginCallException.Category.LINKAGE))
                    .hasMessage("plugin 'acme': Pusher.prepare failed to link: java.lang.NoClassDefFoundError: com/fasterxml/jackson/databind/ObjectMapper");

            long started = System.nanoTime();
            assertThatThrownBy(() -> calls.call("Pusher.interpret", () -> {
                // ignores interruption: the thread is abandoned, the caller is not held
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return null;
            }))
                    .isInstanceOfSatisfying(PluginCallException.class, e -> {
                        assertThat(e.category()).isEqualTo(PluginCallException.Category.TIMED_OUT);
                        assertThat(e.pluginId()).isEqualTo("acme");
                        assertThat(e.operation()).isEqualTo("Pusher.interpret");
                    })
                    .hasMessage("plugin 'acme': Pusher.interpret did not return within 300 ms; its thread was interrupted and abandoned");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(800));
            assertThat(calls.abandonedCalls()).isEqualTo(1);
            // while it still runs, no new call may start (each could leak one more thread)
            assertThatThrownBy(() -> calls.call("probe", () -> "too early"))
                    .isInstanceOfSatisfying(PluginCallException.class, e -> assertThat(e.category()).isEqualTo(PluginCallException.Category.UNAVAILABLE))
                    .hasMessage("plugin 'acme': probe is refused: 1 earlier call still runs after its timeout; the plugin gets no calls until it returns (fix or remove the plugin)");
            Await.await("the abandoned call to end", Duration.ofSeconds(5), () -> calls.abandonedCalls() == 0);
            assertThat(calls.call("probe", () -> "works again")).isEqualTo("works again");
        }
    }

    @Test
    void boundsConcurrentCallsAndRefusesCallsOnceClosed()
            throws Exception
    {
        PluginCalls calls = new PluginCalls("acme", 1, pluginLoader, Duration.ofMillis(300), 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> calls.call("slow", Duration.ofSeconds(5), () -> {
            running.countDown();
            return release.await(5, TimeUnit.SECONDS);
        }));
        first.start();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> calls.call("second", () -> "never"))
                .isInstanceOfSatisfying(PluginCallException.class, e -> assertThat(e.category()).isEqualTo(PluginCallException.Category.TIMED_OUT))
                .hasMessage("plugin 'acme': second found no free call slot within 300 ms: 1 calls of this plugin are running");
        release.countDown();
        first.join(5000);

        PluginCalls.Held<String> held = calls.hold("a plugin object");
        calls.close();
        assertThat(calls.classLoader()).isEmpty();
        assertThatThrownBy(() -> held.get("Connector.serve"))
                .isInstanceOfSatisfying(PluginCallException.class, e -> assertThat(e.category()).isEqualTo(PluginCallException.Category.UNAVAILABLE))
                .hasMessage("plugin 'acme': Connector.serve was unloaded");
        assertThatThrownBy(() -> calls.call("probe", () -> "never"))
                .isInstanceOf(PluginCallException.class)
                .hasMessage("plugin 'acme': probe was unloaded");
    }
}
