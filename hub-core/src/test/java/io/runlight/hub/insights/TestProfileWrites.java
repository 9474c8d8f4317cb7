package io.runlight.hub.insights;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hazelcast.map.IMap;

import io.runlight.hub.Await;
import io.runlight.hub.store.Database;
import io.runlight.hub.store.HubStore;
import io.runlight.hub.store.StoreConfig;
import io.runlight.insights.profile.FileObservation;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileLimits;
import io.runlight.insights.profile.RuntimeProfile;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.EvidenceKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit of event batches: batches merged at once from many threads all end up in the
 * stored profile, each caller returns only once its own batch is stored (written through), and
 * every written key is reported for recomputation.
 */
class TestProfileWrites
{
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String KEY = "sha256:" + "ab".repeat(32);
    private static final int THREADS = 8;
    private static final int BATCHES_PER_THREAD = 25;

    @TempDir
    Path dataDir;

    @Test
    void concurrentBatchesAreAllStoredBeforeTheirCallersReturn()
            throws Exception
    {
        try (HubStore store = HubStore.start(StoreConfig.local(dataDir, HubMaps.ALL))) {
            Set<String> written = ConcurrentHashMap.newKeySet();
            ProfileWrites writes = new ProfileWrites(store.map(HubMaps.PROFILES), ProfileLimits.DEFAULT, new Quarantine(store, Clock.systemUTC()), written::add);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<String>>> missing = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int number = thread;
                    missing.add(threads.submit(() -> {
                        List<String> notYetStored = new ArrayList<>();
                        for (int batch = 0; batch < BATCHES_PER_THREAD; batch++) {
                            String path = "/usr/lib/thread-" + number + "/lib" + batch + ".so";
                            writes.merge(Map.of(KEY, events(path, T0.plusSeconds(batch))));
                            if (!storedPaths(store).contains(path)) {
                                notYetStored.add(path);
                            }
                        }
                        return notYetStored;
                    }));
                }
                for (Future<List<String>> result : missing) {
                    assertThat(result.get()).as("batches not stored when their merge returned").isEmpty();
                }
            }
            finally {
                threads.shutdownNow();
            }

            assertThat(storedPaths(store)).hasSize(THREADS * BATCHES_PER_THREAD);
            assertThat(written).containsExactly(KEY);
            // written through: the database row holds every batch too
            assertThat(paths(HubCodecs.PROFILE.decode(databaseValue(store)))).hasSize(THREADS * BATCHES_PER_THREAD);
        }
    }

    @Test
    void batchesWrittenTogetherMakeTheProfileTheirEventsMakeOneByOne()
            throws Exception
    {
        try (HubStore store = HubStore.start(StoreConfig.local(dataDir, HubMaps.ALL))) {
            ProfileWrites writes = new ProfileWrites(store.map(HubMaps.PROFILES), ProfileLimits.DEFAULT, new Quarantine(store, Clock.systemUTC()), key -> {});
            List<RuntimeEvent> all = new CopyOnWriteArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int number = thread;
                    done.add(threads.submit(() -> {
                        for (int batch = 0; batch < BATCHES_PER_THREAD; batch++) {
                            // the same few workloads, files and processes again and again, at times out of order
                            List<RuntimeEvent> events = new ArrayList<>();
                            for (int event = 0; event < 5; event++) {
                                int item = number * 7 + batch * 3 + event;
                                events.add(event("worker-" + item % 3, "/usr/lib/lib" + item % 11 + ".so", "/usr/bin/p" + item % 5, T0.plusSeconds(item % 13)));
                            }
                            writes.merge(Map.of(KEY, events));
                            all.addAll(events);
                        }
                        return null;
                    }));
                }
                for (Future<?> result : done) {
                    result.get();
                }
            }
            finally {
                threads.shutdownNow();
            }

            ImageProfile stored = HubCodecs.PROFILE.decode(store.map(HubMaps.PROFILES).get(KEY));
            assertThat(stored).isEqualTo(ImageProfile.of(all, ProfileLimits.DEFAULT));
            assertThat(stored.containers()).hasSize(3);
            assertThat(stored.containers().stream().mapToLong(RuntimeProfile::events).sum()).isEqualTo(THREADS * BATCHES_PER_THREAD * 5);
        }
    }

    @Test
    void aStoredProfileWrittenByAnotherWriterIsReadNotTheOneThisMemberWroteLast()
            throws Exception
    {
        try (HubStore store = HubStore.start(StoreConfig.local(dataDir, HubMaps.ALL))) {
            ProfileWrites writes = new ProfileWrites(store.map(HubMaps.PROFILES), ProfileLimits.DEFAULT, new Quarantine(store, Clock.systemUTC()), key -> {});
            writes.merge(Map.of(KEY, events("/usr/lib/first.so", T0)));
            // as another member, or this one before a restart, would have left it
            store.map(HubMaps.PROFILES).set(KEY, HubCodecs.PROFILE.encode(profile("/usr/lib/elsewhere.so", T0.plusSeconds(1))));
            writes.merge(Map.of(KEY, events("/usr/lib/second.so", T0.plusSeconds(2))));

            assertThat(storedPaths(store)).containsExactly("/usr/lib/elsewhere.so", "/usr/lib/second.so");
            assertThat(paths(HubCodecs.PROFILE.decode(databaseValue(store)))).containsExactly("/usr/lib/elsewhere.so", "/usr/lib/second.so");
        }
    }

    @Test
    void aProfileReadAfterItsWriteIsTheOneWrittenAndAnyOtherTextIsDecoded()
            throws Exception
    {
        try (HubStore store = HubStore.start(StoreConfig.local(dataDir, HubMaps.ALL))) {
            ProfileWrites writes = new ProfileWrites(store.map(HubMaps.PROFILES), ProfileLimits.DEFAULT, new Quarantine(store, Clock.systemUTC()), key -> {});
            writes.merge(Map.of(KEY, events("/usr/lib/first.so", T0)));
            String stored = store.map(HubMaps.PROFILES).get(KEY);

            // the text this member wrote last: the profile it wrote, not decoded again, and equal to the decoded one
            ImageProfile read = ProfileMerge.read(KEY, stored);
            assertThat(read).isEqualTo(HubCodecs.PROFILE.decode(stored));
            assertThat(ProfileMerge.read(KEY, stored)).isSameAs(read);
            // another text under the key (another member's write, an older version's), or the text under another key: decoded
            ImageProfile elsewhere = profile("/usr/lib/elsewhere.so", T0.plusSeconds(1));
            String other = HubCodecs.PROFILE.encode(elsewhere);
            assertThat(ProfileMerge.read(KEY, other)).isEqualTo(elsewhere);
            assertThat(ProfileMerge.read("sha256:" + "cd".repeat(32), stored)).isEqualTo(read).isNotSameAs(read);
            // what is no profile fails as decoding it fails, so the computation still quarantines it
            assertThatThrownBy(() -> ProfileMerge.read(KEY, "{\"containers\":7}")).isInstanceOf(IllegalArgumentException.class);
            // the write after another writer's is read as written again
            store.map(HubMaps.PROFILES).set(KEY, other);
            writes.merge(Map.of(KEY, events("/usr/lib/second.so", T0.plusSeconds(2))));
            String merged = store.map(HubMaps.PROFILES).get(KEY);
            assertThat(paths(ProfileMerge.read(KEY, merged))).containsExactly("/usr/lib/elsewhere.so", "/usr/lib/second.so");
            assertThat(ProfileMerge.read(KEY, merged)).isEqualTo(HubCodecs.PROFILE.decode(merged));
        }
    }

    @Test
    void aMergeSentToAnotherMemberCarriesItsBatch()
            throws Exception
    {
        try (HubStore store = HubStore.start(StoreConfig.local(dataDir, HubMaps.ALL))) {
            store.map(HubMaps.PROFILES).set(KEY, HubCodecs.PROFILE.encode(profile("/usr/lib/stored.so", T0)));
            // serialised and read back, as Hazelcast does when the key's owner is another member
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(new ProfileMerge(profile("/usr/lib/sent.so", T0.plusSeconds(1)), ProfileLimits.DEFAULT));
            }
            ProfileMerge received;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                received = (ProfileMerge) in.readObject();
            }

            assertThat(store.map(HubMaps.PROFILES).executeOnKey(KEY, received)).isNull();
            assertThat(storedPaths(store)).containsExactly("/usr/lib/sent.so", "/usr/lib/stored.so");
        }
    }

    @Test
    void aCallerInterruptedWhileItsBatchWaitsIsToldItFailedAndTheOthersGoOn()
            throws Exception
    {
        String first = "sha256:" + "01".repeat(32);
        String abandoned = "sha256:" + "02".repeat(32);
        String later = "sha256:" + "03".repeat(32);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (HubStore store = HubStore.start(StoreConfig.local(dataDir, HubMaps.ALL))) {
            IMap<String, String> profiles = store.map(HubMaps.PROFILES);
            // the first write holds the writer's turn until the test lets it go: whatever comes meanwhile waits
            ProfileWrites writes = new ProfileWrites(profiles, ProfileLimits.DEFAULT, new Quarantine(store, Clock.systemUTC()), key -> {
                if (key.equals(first)) {
                    writing.countDown();
                    awaitUninterruptibly(release);
                }
            });
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                Future<?> writer = threads.submit(() -> writes.merge(Map.of(first, events("/usr/lib/first.so", T0))));
                assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
                AtomicReference<Thread> waiter = new AtomicReference<>();
                Future<?> waiting = threads.submit(() -> {
                    waiter.set(Thread.currentThread());
                    writes.merge(Map.of(abandoned, events("/usr/lib/abandoned.so", T0)));
                });
                Await.await("the second caller to wait for the writer", Duration.ofSeconds(30),
                        () -> waiter.get() != null && waiter.get().getState() == Thread.State.WAITING);
                waiter.get().interrupt();

                assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("interrupted while waiting for the profiles to be written");
                assertThat(writer.isDone()).isFalse();

                release.countDown();
                writer.get(30, TimeUnit.SECONDS);
                // a caller after them writes at once: the abandoned batch left no turn behind
                threads.submit(() -> writes.merge(Map.of(later, events("/usr/lib/later.so", T0)))).get(30, TimeUnit.SECONDS);
            }
            finally {
                release.countDown();
                threads.shutdownNow();
            }
            assertThat(profiles.get(first)).isNotNull();
            assertThat(profiles.get(later)).isNotNull();
            // the interrupted caller's request failed, and its batch, which no writer had taken, was not stored
            assertThat(profiles.get(abandoned)).isNull();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch)
    {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            }
            catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ImageProfile profile(String path, Instant time)
    {
        return ImageProfile.of(events(path, time), ProfileLimits.DEFAULT);
    }

    private static RuntimeEvent event(String workload, String path, String process, Instant time)
    {
        ContainerIdentity container = new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.of("Deployment"), Optional.of(workload), Optional.empty(),
                Optional.of(workload), Optional.empty(), Optional.empty(), Optional.empty());
        return new RuntimeEvent(container, EvidenceKind.MMAP, path, Optional.of(process), time, Sensor.RUNLIGHT_EVENTS);
    }

    private static List<RuntimeEvent> events(String path, Instant time)
    {
        ContainerIdentity container = new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"), Optional.empty(),
                Optional.of("cart"), Optional.empty(), Optional.empty(), Optional.empty());
        return List.of(new RuntimeEvent(container, EvidenceKind.MMAP, path, Optional.of("/usr/bin/cart"), time, Sensor.RUNLIGHT_EVENTS));
    }

    private static String databaseValue(HubStore store)
            throws SQLException
    {
        try (Connection connection = store.database().connection();
                PreparedStatement statement = connection.prepareStatement("SELECT map_value FROM " + Database.mapTable(HubMaps.PROFILES) + " WHERE map_key = ?")) {
            statement.setString(1, KEY);
            try (ResultSet row = statement.executeQuery()) {
                assertThat(row.next()).as("a database row for the profile").isTrue();
                return row.getString(1);
            }
        }
    }

    private static Set<String> storedPaths(HubStore store)
    {
        String json = store.map(HubMaps.PROFILES).get(KEY);
        return json == null ? Set.of() : paths(HubCodecs.PROFILE.decode(json));
    }

    private static Set<String> paths(ImageProfile profile)
    {
        Set<String> paths = new TreeSet<>();
        profile.containers().forEach(container -> container.files().stream().map(FileObservation::path).forEach(paths::add));
        return paths;
    }
}
