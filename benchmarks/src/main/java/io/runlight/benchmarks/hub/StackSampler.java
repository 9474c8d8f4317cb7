package io.runlight.benchmarks.hub;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sampling profile of the hub in this JVM while a load runs: every 20 ms it takes the stacks
 * of the hub's threads (Vert.x event loops and workers, Hazelcast's partition and other
 * threads, plugin calls) and counts, for each runnable or blocked one, the first frame of our
 * own code or of Hazelcast, Vert.x, Jackson or the JDBC driver. The most counted frames say
 * where a missed target's time goes.
 */
final class StackSampler
        implements AutoCloseable
{
    private static final List<String> INTERESTING = List.of("io.runlight.", "com.hazelcast.", "io.vertx.", "com.fasterxml.jackson.", "org.h2.", "io.netty.");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<String, Integer> counts = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;
    private int samples;

    StackSampler()
    {
        sampler = new Thread(this::run, "bench-stack-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void run()
    {
        while (running.get()) {
            sample();
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized void sample()
    {
        samples++;
        for (ThreadInfo info : threads.dumpAllThreads(false, false, 40)) {
            if (info == null || !isHubThread(info.getThreadName())) {
                continue;
            }
            Thread.State state = info.getThreadState();
            if (state != Thread.State.RUNNABLE && state != Thread.State.BLOCKED) {
                continue;
            }
            StackTraceElement[] stack = info.getStackTrace();
            if (stack.length == 0 || isIdle(stack[0])) {
                continue;
            }
            String frame = firstInteresting(stack);
            counts.merge(group(info.getThreadName()) + " " + state.name().toLowerCase() + " in " + frame, 1, Integer::sum);
        }
    }

    /** The most counted frames, most first, as "count (share of samples) thread-kind state in frame". */
    synchronized List<String> top(int limit)
    {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<String> top = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : sorted.subList(0, Math.min(limit, sorted.size()))) {
            top.add(String.format("%5d (%3.0f%% of %d samples) %s", entry.getValue(), 100.0 * entry.getValue() / samples, samples, entry.getKey()));
        }
        return top;
    }

    @Override
    public void close()
    {
        running.set(false);
        sampler.interrupt();
    }

    private static boolean isHubThread(String name)
    {
        return name.startsWith("vert.x-") || name.startsWith("hz.") || name.startsWith("runlight-");
    }

    private static boolean isIdle(StackTraceElement top)
    {
        // selectors and queues waiting for work are RUNNABLE in native code but idle
        String method = top.getClassName() + "." + top.getMethodName();
        return method.startsWith("sun.nio.ch.EPoll") || method.startsWith("io.netty.channel.epoll.Native") || method.contains("epollWait")
                || method.startsWith("sun.nio.ch.SelectorImpl");
    }

    private static String firstInteresting(StackTraceElement[] stack)
    {
        for (StackTraceElement element : stack) {
            String className = element.getClassName();
            for (String prefix : INTERESTING) {
                if (className.startsWith(prefix)) {
                    return element.getClassName() + "." + element.getMethodName() + ":" + element.getLineNumber() + " (top: " + stack[0].getClassName() + "."
                            + stack[0].getMethodName() + ")";
                }
            }
        }
        return stack[0].getClassName() + "." + stack[0].getMethodName();
    }

    private static String group(String threadName)
    {
        return threadName.replaceAll("-?\\d+$", "").replaceAll("\\.\\d+$", "");
    }
}
