package io.runlight.hub.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;

import static java.util.Objects.requireNonNull;

/**
 * Sends the outbox. Every poll interval, and at once after writes and completed
 * attempts, it takes the due pending deliveries whose keys this member owns (so in a
 * cluster each delivery is sent by one member), locks each in the cluster while it is
 * being sent, and drives the integration's connector: {@code prepare} → HTTP → {@code
 * interpret}. Per integration it applies a circuit breaker (while open nothing is sent and
 * deliveries stay pending), a rate limit and a bulkhead of the connector's
 * {@code maxConcurrentRequests}; failed attempts are retried with exponential backoff and
 * jitter (or after the receiver's {@code Retry-After}) until {@code maxAttempts}, then the
 * delivery goes dead with the status and a response excerpt. An integration without a push
 * target (paused, severed, plugin not loaded) keeps its deliveries pending, untouched.
 *
 * <p>Threads: decisions and HTTP run on one Vert.x context and never block; connector
 * and {@link PushTargets} calls run on Vert.x workers; outbox claims and updates run on
 * one dedicated thread, because a Hazelcast lock belongs to the thread that took it.
 */
public final class Relay
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final Vertx vertx;
    private final Outbox outbox;
    private final PushTargets targets;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final RelayOptions options;
    private final IntervalFunction backoff;
    private final Context context;
    private final WebClient client;
    private final ExecutorService storeThread;
    private final DeliveryGuards guards;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scanning = new AtomicBoolean();
    private final AtomicBoolean rescan = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong timer = new AtomicLong(-1);

    /**
     * @param guards the per-integration circuit breakers, rate limiters and bulkheads, and the options ({@link DeliveryGuards#options()})
     * @param targets the integrations that may push now (the integration service)
     * @param metrics where {@code runlight_deliveries_total} and {@code runlight_delivery_latency_seconds} go
     */
    public Relay(Vertx vertx, Outbox outbox, DeliveryGuards guards, PushTargets targets, MeterRegistry metrics, Clock clock)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.outbox = requireNonNull(outbox, "outbox is null");
        this.guards = requireNonNull(guards, "guards is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.options = guards.options();
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(options.initialBackoff(), options.backoffMultiplier(), options.backoffRandomization(),
                options.maxBackoff());
        this.context = vertx.getOrCreateContext();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setFollowRedirects(false)
                .setUserAgent("runlight-hub"), new PoolOptions().setHttp1MaxSize(64));
        this.storeThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "runlight-outbox-claims");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts polling and listens for outbox writes. */
    public void start()
    {
        outbox.addWriteListener(this::wake);
        context.runOnContext(ignored -> {
            if (!closed.get()) {
                timer.set(vertx.setPeriodic(options.pollInterval().toMillis(), id -> scan()));
                scan();
            }
        });
        log.info("Delivery relay started (poll every {} ms)", options.pollInterval().toMillis());
    }

    /** Looks for due deliveries now (coalesced with a pass already running). Any thread. */
    public void wake()
    {
        if (!closed.get()) {
            context.runOnContext(ignored -> scan());
        }
    }

    /** The integration's circuit breaker state on this member (see {@link DeliveryGuards#circuitState}). */
    public String circuitState(String integrationId)
    {
        return guards.circuitState(integrationId);
    }

    /**
     * Stops sending: no new attempts start; attempts in flight get up to {@code grace} to
     * finish (their outcome is stored). Deliveries not finished stay pending and are sent
     * after the next start. Call before Vert.x closes.
     */
    public void close(Duration grace)
    {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long id = timer.get();
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!inFlight.isEmpty()) {
            log.warn("Delivery relay stopped with {} attempts in flight; they stay pending and are sent again after a restart", inFlight.size());
        }
        client.close();
        storeThread.shutdown();
        log.info("Delivery relay stopped");
    }

    @Override
    public void close()
    {
        close(Duration.ofSeconds(10));
    }

    private void scan()
    {
        if (closed.get()) {
            return;
        }
        if (!scanning.compareAndSet(false, true)) {
            rescan.set(true);
            return;
        }
        rescan.set(false);
        Instant now = clock.instant();
        context.executeBlocking(() -> plan(now), false).onComplete(result -> {
            boolean rateLimited = false;
            if (result.succeeded()) {
                rateLimited = dispatch(result.result());
            }
            else {
                log.error("Cannot read the outbox; trying again at the next pass", result.cause());
            }
            scanning.set(false);
            if (rescan.get()) {
                scan();
            }
            else if (rateLimited && !closed.get()) {
                vertx.setTimer(Math.max(10, 1000 / options.requestsPerSecond()), ignored -> scan());
            }
        });
    }

    /** On a worker: the due deliveries of integrations that may push now, grouped by integration. */
    private List<Batch> plan(Instant now)
    {
        Map<String, PushTarget> active = new LinkedHashMap<>();
        for (PushTarget target : targets.activePushTargets()) {
            active.put(target.integrationId(), target);
        }
        Map<String, List<Delivery>> byIntegration = new LinkedHashMap<>();
        for (Delivery delivery : outbox.dueLocal(now)) {
            if (active.containsKey(delivery.integrationId()) && !inFlight.contains(delivery.id())) {
                byIntegration.computeIfAbsent(delivery.integrationId(), ignored -> new ArrayList<>()).add(delivery);
            }
        }
        List<Batch> batches = new ArrayList<>();
        for (Map.Entry<String, List<Delivery>> entry : byIntegration.entrySet()) {
            PushTarget target = active.get(entry.getKey());
            batches.add(new Batch(target, guards.forTarget(target), List.copyOf(entry.getValue())));
        }
        return batches;
    }

    /**
     * On the context: starts an attempt for every delivery the integration's guards let
     * through now.
     *
     * @return whether a rate limiter held deliveries back (look again shortly)
     */
    private boolean dispatch(List<Batch> batches)
    {
        boolean rateLimited = false;
        for (Batch batch : batches) {
            IntegrationGuards guard = batch.guards();
            for (Delivery delivery : batch.deliveries()) {
                if (closed.get()) {
                    return false;
                }
                if (inFlight.contains(delivery.id())) {
                    continue;
                }
                if (!guard.circuitBreaker().tryAcquirePermission()) {
                    // open: nothing is sent for this integration; its deliveries stay pending
                    break;
                }
                if (!guard.bulkhead().tryAcquirePermission()) {
                    guard.circuitBreaker().releasePermission();
                    break;
                }
                if (!guard.rateLimiter().acquirePermission()) {
                    guard.bulkhead().releasePermission();
                    guard.circuitBreaker().releasePermission();
                    rateLimited = true;
                    break;
                }
                inFlight.add(delivery.id());
                attempt(delivery, batch.target(), guard);
            }
        }
        return rateLimited;
    }

    private void attempt(Delivery due, PushTarget target, IntegrationGuards guard)
    {
        onStoreThread(() -> outbox.claim(due.id(), clock.instant(), options.lockLease().toMillis()))
                .transform(claim -> {
                    if (claim.failed() || claim.result().isEmpty()) {
                        // sent, superseded or claimed elsewhere meanwhile (or the map failed): no call was made
                        guard.circuitBreaker().releasePermission();
                        return claim.failed() ? Future.<Void>failedFuture(claim.cause()) : Future.<Void>succeededFuture();
                    }
                    Delivery claimed = claim.result().get();
                    return sendOnce(claimed, target, guard, 0)
                            .recover(error -> {
                                // nothing the connector or receiver did: the stored message itself cannot be sent
                                guard.circuitBreaker().releasePermission();
                                return Future.succeededFuture(new AttemptResult(DeliveryOutcome.failed("cannot send the stored message: " + error), Optional.empty()));
                            })
                            .compose(result -> record(claimed, target, result));
                })
                .onComplete(done -> {
                    guard.bulkhead().onComplete();
                    inFlight.remove(due.id());
                    if (done.failed()) {
                        log.error("Delivery '{}' of integration '{}' could not be processed; it stays pending", due.id(), due.integrationId(), done.cause());
                    }
                    scan();
                });
    }

    /** One attempt, repeated at once while the connector asks for a resend (at most {@code maxResendsInARow} times). */
    private Future<AttemptResult> sendOnce(Delivery delivery, PushTarget target, IntegrationGuards guard, int resends)
    {
        PushMessage message = delivery.message().toPushMessage();
        DeliveryAttempt attempt = new DeliveryAttempt(delivery.id(), delivery.attempts() + 1, clock.instant());
        return blocking(() -> target.pusher().prepare(message, attempt)).transform(prepared -> {
            if (prepared.failed()) {
                // the connector's fault, not the receiver's: the circuit does not count it
                guard.circuitBreaker().releasePermission();
                return Future.succeededFuture(AttemptResult.pluginFailure("prepare", prepared.cause()));
            }
            OutboundRequest request = prepared.result();
            long start = System.nanoTime();
            return http(request).transform(sent -> {
                long elapsed = System.nanoTime() - start;
                if (sent.failed()) {
                    guard.circuitBreaker().onError(elapsed, TimeUnit.NANOSECONDS, sent.cause());
                    return Future.succeededFuture(AttemptResult.transport(describe(request, sent.cause())));
                }
                InboundResponse response = sent.result();
                return blocking(() -> target.pusher().interpret(message, request, response)).transform(interpreted -> {
                    if (interpreted.failed()) {
                        guard.circuitBreaker().releasePermission();
                        return Future.succeededFuture(AttemptResult.pluginFailure("interpret", interpreted.cause()).withResponse(response));
                    }
                    DeliveryOutcome outcome = interpreted.result();
                    switch (outcome.kind()) {
                        case DELIVERED, FAILED -> guard.circuitBreaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
                        case RETRY -> guard.circuitBreaker().onError(elapsed, TimeUnit.NANOSECONDS, new ReceiverFailure(outcome.reason()));
                        case RESEND -> {
                            if (resends < options.maxResendsInARow()) {
                                return sendOnce(delivery, target, guard, resends + 1);
                            }
                            guard.circuitBreaker().releasePermission();
                            return Future.succeededFuture(new AttemptResult(
                                    DeliveryOutcome.retry("the receiver asked for more than " + options.maxResendsInARow() + " resends in a row: " + outcome.reason()),
                                    Optional.of(response)));
                        }
                    }
                    return Future.succeededFuture(new AttemptResult(outcome, Optional.of(response)));
                });
            });
        });
    }

    /** Stores what an attempt came to, tells the integration, counts it. */
    private Future<Void> record(Delivery claimed, PushTarget target, AttemptResult result)
    {
        Instant now = clock.instant();
        DeliveryOutcome outcome = result.outcome();
        Optional<Integer> status = result.response().map(InboundResponse::status);
        Optional<String> excerpt = result.response().map(InboundResponse::excerpt).filter(text -> !text.isEmpty());
        Optional<Delivery> updated;
        String counted;
        switch (outcome.kind()) {
            case DELIVERED -> {
                updated = Optional.empty();
                counted = "delivered";
            }
            case FAILED -> {
                updated = Optional.of(claimed.dead(now, status, outcome.reason(), excerpt));
                counted = "dead";
            }
            case RETRY, RESEND -> {
                if (claimed.attempts() + 1 >= options.maxAttempts()) {
                    updated = Optional.of(claimed.dead(now, status, "gave up after " + (claimed.attempts() + 1) + (claimed.attempts() == 0 ? " attempt: " : " attempts: ") + outcome.reason(), excerpt));
                    counted = "dead";
                }
                else {
                    updated = Optional.of(claimed.retryAt(now.plus(retryDelay(claimed.attempts() + 1, outcome)), status, outcome.reason(), excerpt));
                    counted = "retried";
                }
            }
            default -> throw new IllegalStateException("unexpected outcome " + outcome.kind());
        }
        return onStoreThread(() -> {
            outbox.finish(claimed, updated);
            return null;
        }).compose(stored -> {
            counter(claimed.integrationId(), counted).increment();
            if (updated.isEmpty()) {
                latency(claimed.integrationId()).record(Duration.between(claimed.createdAt(), now));
            }
            else if (updated.get().state() == DeliveryState.DEAD) {
                log.warn("Delivery '{}' of integration '{}' is dead: {}", claimed.id(), claimed.integrationId(), updated.get().lastError().orElse(""));
            }
            return blocking(() -> {
                if (updated.isEmpty()) {
                    targets.deliverySucceeded(claimed.integrationId(), now);
                }
                else {
                    targets.deliveryFailed(claimed.integrationId(), now, updated.get().lastError().orElse(outcome.reason()));
                }
                return null;
            }).recover(error -> {
                log.error("Cannot record the delivery status of integration '{}'", target.integrationId(), error);
                return Future.succeededFuture();
            }).mapEmpty();
        });
    }

    private Duration retryDelay(int failedAttempts, DeliveryOutcome outcome)
    {
        Optional<Duration> asked = outcome.retryAfter();
        if (asked.isPresent()) {
            return asked.get().compareTo(options.maxRetryAfter()) > 0 ? options.maxRetryAfter() : asked.get();
        }
        return Duration.ofMillis(backoff.apply(failedAttempts));
    }

    private Future<InboundResponse> http(OutboundRequest request)
    {
        HttpRequest<Buffer> http = client.requestAbs(HttpMethod.valueOf(request.method()), request.uri().toString());
        request.headers().forEach(http::putHeader);
        http.timeout(request.timeout().orElse(options.defaultRequestTimeout()).toMillis());
        CappedBody body = new CappedBody(options.maxResponseBytes());
        return http.as(BodyCodec.pipe(body))
                .sendBuffer(Buffer.buffer(request.body().toArray()))
                .map(response -> InboundResponse.of(response.statusCode(), headers(response.headers()), body.bytes()));
    }

    private static Map<String, List<String>> headers(MultiMap headers)
    {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (String name : headers.names()) {
            copy.put(name, headers.getAll(name));
        }
        return copy;
    }

    /** Why a request got no response; names the receiver by scheme, host and port only (paths and queries may carry secrets). */
    private String describe(OutboundRequest request, Throwable cause)
    {
        URI uri = request.uri();
        String receiver = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        for (Throwable current = cause; current != null; current = current.getCause()) {
            if (current instanceof TimeoutException || (current.getMessage() != null && current.getMessage().contains("timeout period"))) {
                return "no response from " + receiver + " within " + request.timeout().orElse(options.defaultRequestTimeout()).toMillis() + " ms";
            }
        }
        return "request to " + receiver + " failed: " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private <T> Future<T> blocking(Callable<T> call)
    {
        return context.executeBlocking(call, false);
    }

    private <T> Future<T> onStoreThread(Callable<T> call)
    {
        Promise<T> promise = Promise.promise();
        CompletableFuture.runAsync(() -> {
            try {
                T value = call.call();
                context.runOnContext(ignored -> promise.complete(value));
            }
            catch (Exception e) {
                context.runOnContext(ignored -> promise.fail(e));
            }
        }, storeThread).exceptionally(rejected -> {
            // the relay is closing: the executor takes no more work
            context.runOnContext(ignored -> promise.tryFail(rejected));
            return null;
        });
        return promise.future();
    }

    private Counter counter(String integrationId, String outcome)
    {
        return Counter.builder("runlight.deliveries")
                .description("Delivery attempts by outcome: delivered, retried, dead")
                .tag("integration", integrationId)
                .tag("outcome", outcome)
                .register(metrics);
    }

    private Timer latency(String integrationId)
    {
        return Timer.builder("runlight.delivery.latency")
                .description("Time from writing a message to the outbox to its delivery")
                .tag("integration", integrationId)
                .register(metrics);
    }

    /** The due deliveries of one integration in one pass. */
    private record Batch(PushTarget target, IntegrationGuards guards, List<Delivery> deliveries) {}

    /** What one attempt came to: the outcome, and the response if there was one. */
    private record AttemptResult(DeliveryOutcome outcome, Optional<InboundResponse> response)
    {
        static AttemptResult transport(String reason)
        {
            return new AttemptResult(DeliveryOutcome.retry(reason), Optional.empty());
        }

        static AttemptResult pluginFailure(String step, Throwable cause)
        {
            return new AttemptResult(DeliveryOutcome.retry("connector failed in " + step + ": " + cause.getMessage()), Optional.empty());
        }

        AttemptResult withResponse(InboundResponse value)
        {
            return new AttemptResult(outcome, Optional.of(value));
        }
    }

    /** A receiver's answer that counts as a failure for the circuit breaker. */
    private static final class ReceiverFailure
            extends RuntimeException
    {
        ReceiverFailure(String reason)
        {
            super(reason, null, false, false);
        }
    }
}
