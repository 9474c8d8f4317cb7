package io.runlight.hub.store;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.internal.util.ConcurrencyUtil;

/**
 * The bounded pool that runs the completions of Hazelcast's asynchronous map calls
 * ({@code getAsync(...).thenApply(...)}, {@code submitToKey(...).whenComplete(...)}) in this JVM.
 * <p>
 * Hazelcast runs such completions on its default async executor, which is the common
 * {@code ForkJoinPool} only when that pool's parallelism is above 1; on a machine with two
 * cores (parallelism 1) it starts <em>a new thread for every completion</em>, from the partition
 * thread that completed the call. Under load that is thousands of threads a second. Hazelcast
 * keeps that executor in one static field for the whole JVM, so this pool is one per JVM too,
 * installed before the first member starts and shared by every member of the process.
 */
public final class HazelcastAsyncExecutor
{
    /** Threads of the pool: completions are short (decode a record, hand a result to Vert.x), so a few suffice. */
    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private static final ThreadPoolExecutor POOL = createPool();

    private HazelcastAsyncExecutor() {}

    /** Makes this pool Hazelcast's default async executor; idempotent. */
    public static void install()
    {
        synchronized (HazelcastAsyncExecutor.class) {
            if (ConcurrencyUtil.getDefaultAsyncExecutor() != POOL) {
                ConcurrencyUtil.setDefaultAsyncExecutor(POOL);
            }
        }
    }

    /** The pool, for completions of the hub's own asynchronous map calls. */
    public static Executor executor()
    {
        install();
        return POOL;
    }

    private static ThreadPoolExecutor createPool()
    {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "runlight-hazelcast-async-" + counter.incrementAndGet());
            // JVM-wide and shared by every member: it must never keep a stopping process alive
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
