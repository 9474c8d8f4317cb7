package io.runlight.hub.store;

import java.nio.file.Path;

import com.hazelcast.map.IMap;

/**
 * Run by {@link TestHubStoreHardKill} in its own JVM: starts a store on the H2 file in
 * {@code args[0]} (member port {@code args[1]}), then writes {@code args[2]} entries to
 * the {@code outbox} map, printing {@code ACK i} once the write of entry {@code i} has
 * returned. It never closes the store: the test kills the process.
 */
public final class HardKillWriter
{
    private HardKillWriter() {}

    public static void main(String[] args)
            throws InterruptedException
    {
        HubStore store = HubStore.start(StoreFixtures.h2(Path.of(args[0]), Integer.parseInt(args[1])));
        IMap<String, String> outbox = store.map("outbox");
        int count = Integer.parseInt(args[2]);
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; i < count; i++) {
            outbox.set(key(i), value(i));
            System.out.println("ACK " + i);
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static String key(int i)
    {
        return "delivery-" + i;
    }

    static String value(int i)
    {
        return "{\"attempt\":" + i + ",\"target\":\"webhook\"}";
    }
}
