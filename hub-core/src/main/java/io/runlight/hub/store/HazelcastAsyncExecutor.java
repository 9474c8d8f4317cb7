package io.runlight.hub.store;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
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
 * <p>
 * It keeps a thread per core (two at least) and grows, one thread per waiting task, up to
 * {@value #MOST_THREADS}: a completion that blocks (Hazelcast's own, waiting on a member that
 * died, or a caller's) must not hold up every other completion of the JVM, map loading and
 * token checks among them, as a fixed pool of two did (calls answered "still loading" for
 * minutes, requests never answered). Short completions reuse the kept threads.
 */
public final class HazelcastAsyncExecutor
{
    /** Threads of the pool: completions are short (decode a record, hand a result to Vert.x), so a few suffice. */
    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final int THREADS_KEPT = 2;
    /** Past this many busy threads a completion runs on the thread that completed the call. */
    private static final int MOST_THREADS = 64;

    private static final ThreadPoolExecutor POOL = createElasticPool("runlight-hazelcast-async-");
    private static final ThreadPoolExecutor HUB_POOL = createPool("runlight-completions-");

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

    /**
     * A pool of the same size for what the hub's own code runs after its asynchronous map calls
     * (token checks): kept apart from Hazelcast's, so that work of Hazelcast's that waits there
     * cannot hold up a request's authentication, nor the other way round.
     */
    public static Executor executor()
    {
        install();
        return HUB_POOL;
    }

    private static ThreadPoolExecutor createElasticPool(String threadPrefix)
    {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(Math.max(THREADS_KEPT, THREADS), MOST_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads(threadPrefix), new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadPoolExecutor createPool(String threadPrefix)
    {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads(threadPrefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemonThreads(String threadPrefix)
    {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, threadPrefix + counter.incrementAndGet());
            // JVM-wide and shared by every member: it must never keep a stopping process alive
            thread.setDaemon(true);
            return thread;
        };
    }
}
