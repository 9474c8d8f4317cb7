package io.runlight.hub.plugin;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.runlight.hub.plugin.PluginCallException.Category;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * Runs calls into one loaded plugin (one generation of it): each call runs on a thread
 * of this plugin's own bounded pool, with the thread context class loader set to the
 * plugin's class loader, and returns within its timeout. A call that throws, fails to
 * link or hangs becomes a {@link PluginCallException} naming the plugin and the
 * operation; a hung call's thread is interrupted and abandoned, so the caller never
 * waits past the timeout and a hanging plugin cannot take threads from the hub or from
 * other plugins. While an abandoned call still runs, every new call is refused, so a
 * plugin that loops for ever holds one thread per running call, never more. Calls block their caller: never call from a Vert.x event loop (use
 * {@code executeBlocking}).
 */
public final class PluginCalls
        implements AutoCloseable
{
    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int ABANDONED = 2;

    private final String pluginId;
    private final long generation;
    private final Duration defaultTimeout;
    private final int maxConcurrentCalls;
    private final ThreadPoolExecutor executor;
    private final Semaphore slots;
    private final AtomicInteger abandoned = new AtomicInteger();
    private final Set<Held<?>> held = ConcurrentHashMap.newKeySet();
    private final Set<Call<?>> running = ConcurrentHashMap.newKeySet();
    private volatile ClassLoader classLoader;
    private volatile boolean closed;

    /**
     * @param pluginId the plugin's id, named in every failure
     * @param generation which load of the plugin this is (1 for the first)
     * @param classLoader the plugin's class loader, set as context class loader around every call
     * @param defaultTimeout the timeout of calls that do not give their own
     * @param maxConcurrentCalls how many calls may run at once; as many more hung calls may be abandoned before the plugin is unavailable
     */
    public PluginCalls(String pluginId, long generation, ClassLoader classLoader, Duration defaultTimeout, int maxConcurrentCalls)
    {
        this.pluginId = requireNonBlank(pluginId, "pluginId");
        checkArgument(generation >= 1, "generation must be at least 1: " + generation);
        this.generation = generation;
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
        this.defaultTimeout = requirePositive(defaultTimeout, "defaultTimeout");
        checkArgument(maxConcurrentCalls >= 1, "maxConcurrentCalls must be at least 1: " + maxConcurrentCalls);
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.slots = new Semaphore(maxConcurrentCalls);
        this.executor = new ThreadPoolExecutor(0, maxConcurrentCalls * 2, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threadFactory(pluginId, generation));
    }

    public String pluginId()
    {
        return pluginId;
    }

    public long generation()
    {
        return generation;
    }

    public Duration defaultTimeout()
    {
        return defaultTimeout;
    }

    /** Whether calls are still accepted (false once the plugin was unloaded). */
    public boolean isOpen()
    {
        return !closed;
    }

    /** Calls plugin code with the default timeout. */
    public <T> T call(String operation, Callable<T> action)
    {
        return call(operation, defaultTimeout, action);
    }

    /** Runs plugin code that returns nothing, with the default timeout. */
    public void run(String operation, PluginAction action)
    {
        requireNonNull(action, "action is null");
        call(operation, defaultTimeout, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Calls plugin code.
     *
     * @param operation what is called, for messages, for example {@code Pusher.translate}
     * @throws PluginCallException if the code throws, fails to link, does not return within {@code timeout}, or the plugin is unavailable
     */
    public <T> T call(String operation, Duration timeout, Callable<T> action)
    {
        requireNonBlank(operation, "operation");
        requirePositive(timeout, "timeout");
        requireNonNull(action, "action is null");
        long deadline = System.nanoTime() + timeout.toNanos();
        ClassLoader loader = classLoader;
        if (closed || loader == null) {
            throw failure(Category.UNAVAILABLE, operation, "was unloaded", null);
        }
        int stillRunning = abandoned.get();
        if (stillRunning > 0) {
            // a call that outlived its timeout may loop for ever: each new call could leak one more thread
            throw failure(Category.UNAVAILABLE, operation, "is refused: " + stillRunning + (stillRunning == 1 ? " earlier call still runs" : " earlier calls still run")
                    + " after its timeout; the plugin gets no calls until it returns (fix or remove the plugin)", null);
        }
        try {
            if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw failure(Category.TIMED_OUT, operation, "found no free call slot within " + timeout.toMillis() + " ms: "
                        + maxConcurrentCalls + " calls of this plugin are running", null);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(Category.UNAVAILABLE, operation, "was not called because the calling thread was interrupted", e);
        }
        Call<T> call = new Call<>(operation, action, loader);
        try {
            executor.execute(call);
        }
        catch (RejectedExecutionException e) {
            slots.release();
            throw failure(Category.UNAVAILABLE, operation, "cannot start a call thread (the plugin was unloaded or its threads are exhausted)", e);
        }
        return outcome(call, operation, timeout, deadline);
    }

    private <T> T outcome(Call<T> call, String operation, Duration timeout, long deadline)
    {
        try {
            return call.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PluginCallException nested) {
                throw nested;
            }
            if (cause instanceof LinkageError) {
                throw failure(Category.LINKAGE, operation, "failed to link: " + describe(cause), cause);
            }
            throw failure(Category.THREW, operation, "threw " + describe(cause), cause);
        }
        catch (TimeoutException e) {
            if (call.abandon()) {
                throw failure(Category.TIMED_OUT, operation, "did not return within " + timeout.toMillis() + " ms; its thread was interrupted and abandoned", null);
            }
            // it finished at this very moment: its result is there now
            return outcome(call, operation, timeout, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
        catch (InterruptedException e) {
            call.abandon();
            Thread.currentThread().interrupt();
            throw failure(Category.UNAVAILABLE, operation, "was abandoned because the calling thread was interrupted", e);
        }
    }

    /**
     * Holds a plugin object so that unloading the plugin releases it even if a caller
     * keeps the holder: after {@link #close()} the holder is empty.
     */
    <T> Held<T> hold(T target)
    {
        Held<T> holder = new Held<>(this, requireNonNull(target, "target is null"));
        held.add(holder);
        if (closed) {
            holder.clear();
        }
        return holder;
    }

    /** Stops accepting calls, releases every held plugin object and stops idle threads; calls still running are interrupted. */
    @Override
    public void close()
    {
        closed = true;
        classLoader = null;
        for (Held<?> holder : held) {
            holder.clear();
        }
        held.clear();
        executor.shutdownNow();
    }

    /** The plugin's class loader while the plugin is loaded (tests hold it weakly to check that unloading frees it). */
    Optional<ClassLoader> classLoader()
    {
        return Optional.ofNullable(classLoader);
    }

    /** The threads running calls of this plugin now (abandoned ones too), with the operation each runs. */
    Map<Thread, String> runningCalls()
    {
        Map<Thread, String> threads = new HashMap<>();
        for (Call<?> call : running) {
            Thread thread = call.runner();
            if (thread != null) {
                threads.put(thread, call.operation);
            }
        }
        return threads;
    }

    /** The number of abandoned calls whose threads are still running; while it is not 0 the plugin gets no calls. */
    public int abandonedCalls()
    {
        return abandoned.get();
    }

    PluginCallException failure(Category category, String operation, String what, Throwable cause)
    {
        return new PluginCallException(category, pluginId, operation, "plugin '" + pluginId + "': " + operation + " " + what, cause);
    }

    private static String describe(Throwable cause)
    {
        return cause.getMessage() == null ? cause.getClass().getName() : cause.getClass().getName() + ": " + cause.getMessage();
    }

    private static Duration requirePositive(Duration duration, String name)
    {
        requireNonNull(duration, name + " is null");
        checkArgument(!duration.isNegative() && !duration.isZero(), name + " must be positive: " + duration);
        return duration;
    }

    private static ThreadFactory threadFactory(String pluginId, long generation)
    {
        AtomicInteger counter = new AtomicInteger();
        ClassLoader hostLoader = PluginCalls.class.getClassLoader();
        return runnable -> {
            Thread thread = new Thread(runnable, "runlight-plugin-" + pluginId + "-" + generation + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            // never inherit a plugin's loader from the thread that happened to start this one
            thread.setContextClassLoader(hostLoader);
            return thread;
        };
    }

    /** Plugin code that returns nothing. */
    @FunctionalInterface
    public interface PluginAction
    {
        void run()
                throws Exception;
    }

    /** A plugin object reachable until its plugin is unloaded. */
    static final class Held<T>
    {
        private final PluginCalls calls;
        private volatile T target;

        private Held(PluginCalls calls, T target)
        {
            this.calls = calls;
            this.target = target;
        }

        PluginCalls calls()
        {
            return calls;
        }

        /** The object, or a failure naming the operation if the plugin was unloaded. */
        T get(String operation)
        {
            T value = target;
            if (value == null) {
                throw calls.failure(Category.UNAVAILABLE, operation, "was unloaded", null);
            }
            return value;
        }

        /** Lets go of the object (the plugin's connector was closed or the plugin unloaded). */
        void release()
        {
            clear();
            calls.held.remove(this);
        }

        private void clear()
        {
            target = null;
        }
    }

    private final class Call<T>
            implements Runnable
    {
        private final String operation;
        private final Callable<T> action;
        private final AtomicReference<ClassLoader> loader;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private Thread runner;

        Call(String operation, Callable<T> action, ClassLoader loader)
        {
            this.operation = operation;
            this.action = action;
            this.loader = new AtomicReference<>(loader);
        }

        @Override
        public void run()
        {
            Thread thread = Thread.currentThread();
            synchronized (this) {
                runner = thread;
            }
            running.add(this);
            ClassLoader previous = thread.getContextClassLoader();
            try {
                if (state.get() == RUNNING) {
                    thread.setContextClassLoader(loader.get());
                    result.complete(action.call());
                }
            }
            catch (Throwable e) {
                // everything the plugin throws, including errors, is the plugin's failure, reported to the caller
                result.completeExceptionally(e);
            }
            finally {
                thread.setContextClassLoader(previous);
                loader.set(null);
                synchronized (this) {
                    runner = null;
                }
                running.remove(this);
                if (state.compareAndSet(RUNNING, DONE)) {
                    slots.release();
                }
                else {
                    abandoned.decrementAndGet();
                }
                // a plugin that ignores interruption leaves the flag set: clear it before the pool reuses the thread
                Thread.interrupted();
            }
        }

        synchronized Thread runner()
        {
            return runner;
        }

        /** Gives up on the call; false if it had finished already. */
        boolean abandon()
        {
            if (!state.compareAndSet(RUNNING, ABANDONED)) {
                return false;
            }
            abandoned.incrementAndGet();
            // the call no longer counts against the slots; its thread counts against the abandoned calls until it returns
            slots.release();
            synchronized (this) {
                if (runner != null) {
                    runner.interrupt();
                }
            }
            return true;
        }
    }
}
