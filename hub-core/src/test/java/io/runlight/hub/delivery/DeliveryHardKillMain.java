package io.runlight.hub.delivery;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

import io.runlight.hub.store.HubStore;

/**
 * Run by {@link TestDeliveryHardKill} in its own JVM: a hub's delivery side (store with
 * the durable outbox, outbox, relay) on the H2 file in {@code args[0]} (member port
 * {@code args[1]}), pushing to a receiver on 127.0.0.1:{@code args[2]} that is down. It
 * writes {@code args[3]} deliveries, printing {@code ACK <i> <id>} once each write has
 * returned, then {@code DONE}, and keeps retrying until the test kills it.
 */
public final class DeliveryHardKillMain
{
    private DeliveryHardKillMain() {}

    public static void main(String[] args)
            throws InterruptedException
    {
        HubStore store = HubStore.start(DeliveryTesting.store(Path.of(args[0]), Integer.parseInt(args[1])));
        Vertx vertx = Vertx.vertx();
        Outbox outbox = new Outbox(store, Clock.systemUTC(), new SecureRandom());
        FakePushTargets targets = new FakePushTargets();
        targets.activate(new PushTarget(TestDeliveryHardKill.INTEGRATION, "acme", 1,
                new WebhookTestPusher(URI.create("http://127.0.0.1:" + args[2]), TestDeliveryHardKill.INTEGRATION, 16)));
        Relay relay = new Relay(vertx, outbox, new DeliveryGuards(TestDeliveryHardKill.options()), targets, new SimpleMeterRegistry(), Clock.systemUTC());
        relay.start();
        int count = Integer.parseInt(args[3]);
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; i < count; i++) {
            Delivery delivery = outbox.enqueue(TestDeliveryHardKill.INTEGRATION, WebhookTestPusher.message("sha256:image-" + i, "{\"n\":" + i + "}"));
            System.out.println("ACK " + i + " " + delivery.id());
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(Duration.ofHours(1).toMillis());
    }
}
