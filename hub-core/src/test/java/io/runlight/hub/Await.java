package io.runlight.hub;

import java.time.Duration;

/**
 * Waiting in tests for what other threads, members or processes do: checks a condition
 * every 25 ms until it holds or the timeout passes. The one copy for every test of the hub
 * (there were nine), so that a fix to how tests wait lands everywhere at once.
 */
public final class Await
{
    private static final Duration INTERVAL = Duration.ofMillis(25);

    private Await() {}

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} if it does not hold within {@code timeout}
     */
    public static void await(String what, Duration timeout, Condition condition)
    {
        try {
            if (!holdsWithin(timeout, INTERVAL, condition)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
        catch (RuntimeException | Error e) {
            throw e;
        }
        catch (Exception e) {
            throw new AssertionError("checking " + what + " failed: " + e, e);
        }
    }

    /** Whether {@code condition} holds within {@code timeout}, for a test that asserts on it with more context. */
    public static boolean await(Duration timeout, Condition condition)
            throws Exception
    {
        return holdsWithin(timeout, INTERVAL, condition);
    }

    /** As {@link #await(Duration, Condition)}, checking every {@code interval}: for a check that is costly. */
    public static boolean holdsWithin(Duration timeout, Duration interval, Condition condition)
            throws Exception
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.holds()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** A condition that may need I/O to check. */
    @FunctionalInterface
    public interface Condition
    {
        boolean holds()
                throws Exception;
    }
}
