package io.runlight.hub.server;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.runlight.hub.fleet.FleetFeed;
import io.runlight.hub.insights.InsightsComputer;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The periodic pass that recomputes the insights of changed images this member owns, then the
 * fleet view, on a Vert.x worker; one pass at a time. {@link #stop} waits for a pass under way:
 * the hub closes its store next, and a pass still reading it then failed with "Hazelcast instance
 * is not active" and left Vert.x completing it on a closed event loop.
 */
final class InsightsRefresh
{
    private static final Logger log = LoggerFactory.getLogger(InsightsRefresh.class);

    private final Vertx vertx;
    private final InsightsComputer computer;
    private final FleetFeed fleetFeed;
    /** Held by the pass under way; {@link #stop} takes it for good. */
    private final Semaphore pass = new Semaphore(1);
    private final long timer;

    private InsightsRefresh(Vertx vertx, InsightsComputer computer, FleetFeed fleetFeed, Duration interval)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.computer = requireNonNull(computer, "computer is null");
        this.fleetFeed = requireNonNull(fleetFeed, "fleetFeed is null");
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
    }

    /** Runs a pass every {@code interval} from now on. */
    static InsightsRefresh start(Vertx vertx, InsightsComputer computer, FleetFeed fleetFeed, Duration interval)
    {
        return new InsightsRefresh(vertx, computer, fleetFeed, requireNonNull(interval, "interval is null"));
    }

    private void tick()
    {
        if (!pass.tryAcquire()) {
            // the last pass is still under way, or the hub is stopping
            return;
        }
        vertx.executeBlocking(() -> {
            try {
                // the fleet view reads what this and other members computed: after computing, so that a change shows at once
                return computer.refreshOwnedImages() + fleetFeed.refresh();
            }
            finally {
                pass.release();
            }
        }, false).onFailure(failure -> log.error("Refreshing insights failed", failure));
    }

    /** No pass starts from now on; returns once a pass under way has finished, at most {@code wait} later. */
    void stop(Duration wait)
    {
        vertx.cancelTimer(timer);
        try {
            if (!pass.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("An insights refresh still runs after {} s; stopping anyway", wait.toSeconds());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
