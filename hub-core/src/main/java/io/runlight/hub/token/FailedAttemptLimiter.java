package io.runlight.hub.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Slows down guessing: after {@code maxFailures} failed authentications from one address
 * within {@code window}, that address's failed attempts are answered 429 for
 * {@code coolDown}; after {@code maxGlobalFailures} failures from all addresses together
 * within the window (guesses spread over many addresses), every failed attempt is, until
 * the window has fewer. Only failures are throttled: callers check a credential first and
 * consult the limiter only when it failed, so valid credentials are never refused, even
 * from an address behind the same NAT or ingress as a misconfigured client.
 * State is per member and in memory (a cluster-wide counter would let an attacker turn
 * failures into map writes); at most {@code maxAddresses} addresses are remembered, the
 * least recently seen are forgotten first.
 * <p>
 * The lock is held only for a few map operations, never across I/O.
 */
public final class FailedAttemptLimiter
{
    /** Ten failures in one minute block an address for five minutes. */
    public static final int DEFAULT_MAX_FAILURES = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final Duration DEFAULT_COOL_DOWN = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_ADDRESSES = 10_000;
    /** A thousand failures a minute from all addresses together: far beyond misconfigured clients, well below a guessing botnet. */
    public static final int DEFAULT_MAX_GLOBAL_FAILURES = 1_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Duration coolDown;
    private final int maxAddresses;
    private final int maxGlobalFailures;
    private final Map<String, AddressState> addresses;
    // guarded by addresses
    private final Deque<Instant> globalFailures = new ArrayDeque<>();

    public FailedAttemptLimiter(Clock clock, int maxFailures, Duration window, Duration coolDown, int maxAddresses)
    {
        this(clock, maxFailures, window, coolDown, maxAddresses, DEFAULT_MAX_GLOBAL_FAILURES);
    }

    public FailedAttemptLimiter(Clock clock, int maxFailures, Duration window, Duration coolDown, int maxAddresses, int maxGlobalFailures)
    {
        if (maxGlobalFailures < 1) {
            throw new IllegalArgumentException("maxGlobalFailures must be at least 1, was " + maxGlobalFailures);
        }
        this.maxGlobalFailures = maxGlobalFailures;
        this.clock = requireNonNull(clock, "clock is null");
        this.window = requireNonNull(window, "window is null");
        this.coolDown = requireNonNull(coolDown, "coolDown is null");
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, was " + maxFailures);
        }
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses must be at least 1, was " + maxAddresses);
        }
        if (window.isNegative() || window.isZero() || coolDown.isNegative() || coolDown.isZero()) {
            throw new IllegalArgumentException("window and coolDown must be positive, were " + window + " and " + coolDown);
        }
        this.maxFailures = maxFailures;
        this.maxAddresses = maxAddresses;
        this.addresses = new LinkedHashMap<>(64, 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, AddressState> eldest)
            {
                return size() > FailedAttemptLimiter.this.maxAddresses;
            }
        };
    }

    /** The defaults: 10 failures in 1 minute, 5 minutes cool-down, 10,000 addresses, 1,000 failures a minute in all. */
    public static FailedAttemptLimiter withDefaults(Clock clock)
    {
        return new FailedAttemptLimiter(clock, DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_COOL_DOWN, DEFAULT_MAX_ADDRESSES);
    }

    /**
     * How long {@code address} must wait before its failed attempts are answered 401 again
     * (instead of 429), or empty when they are now. Ask only after a credential failed.
     */
    public Optional<Duration> retryAfter(String address)
    {
        requireNonNull(address, "address is null");
        Instant now = clock.instant();
        synchronized (addresses) {
            Optional<Duration> global = globalRetryAfter(now);
            AddressState state = addresses.get(address);
            if (state == null || state.blockedUntil == null) {
                return global;
            }
            if (!now.isBefore(state.blockedUntil)) {
                addresses.remove(address);
                return global;
            }
            Duration local = Duration.between(now, state.blockedUntil);
            return Optional.of(global.filter(wait -> wait.compareTo(local) > 0).orElse(local));
        }
    }

    // the wait until the oldest failure of a full global window leaves it
    private Optional<Duration> globalRetryAfter(Instant now)
    {
        Instant windowStart = now.minus(window);
        while (!globalFailures.isEmpty() && !globalFailures.peekFirst().isAfter(windowStart)) {
            globalFailures.removeFirst();
        }
        if (globalFailures.size() < maxGlobalFailures) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(windowStart, globalFailures.peekFirst()));
    }

    public boolean isLimited(String address)
    {
        return retryAfter(address).isPresent();
    }

    /** Counts one failed attempt from {@code address}; the {@code maxFailures}-th within the window starts the cool-down. */
    public void recordFailure(String address)
    {
        requireNonNull(address, "address is null");
        Instant now = clock.instant();
        synchronized (addresses) {
            if (globalFailures.size() < maxGlobalFailures) {
                globalFailures.addLast(now);
            }
            AddressState state = addresses.computeIfAbsent(address, ignored -> new AddressState());
            if (state.blockedUntil != null && now.isBefore(state.blockedUntil)) {
                return;
            }
            state.blockedUntil = null;
            Instant windowStart = now.minus(window);
            while (!state.failures.isEmpty() && !state.failures.peekFirst().isAfter(windowStart)) {
                state.failures.removeFirst();
            }
            state.failures.addLast(now);
            if (state.failures.size() >= maxFailures) {
                state.failures.clear();
                state.blockedUntil = now.plus(coolDown);
            }
        }
    }

    /** How many addresses are remembered (bounded by {@code maxAddresses}). */
    public int trackedAddresses()
    {
        synchronized (addresses) {
            return addresses.size();
        }
    }

    private static final class AddressState
    {
        private final Deque<Instant> failures = new ArrayDeque<>();
        private Instant blockedUntil;
    }
}
