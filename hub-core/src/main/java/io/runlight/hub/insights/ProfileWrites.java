package io.runlight.hub.insights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.hazelcast.map.IMap;

import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileBuilder;
import io.runlight.insights.profile.ProfileLimits;
import io.runlight.insights.runtime.RuntimeEvent;

import static java.util.Objects.requireNonNull;

/**
 * Merges event batches into the stored profiles with group commit: the batches that arrive
 * while a write is under way are made into one profile per image (one pass over all their
 * events, not a profile per batch merged into the next) and written together, one
 * {@link ProfileMerge} (one decode and encode of the stored profile, one database write) per
 * image for all of them, instead of one per batch. With no write under way a batch is
 * written at once, so an idle hub adds no delay. Waiting callers sleep and are woken one by one:
 * each when its own batches are written, and the caller of the first batch waiting when a write
 * ends, to write the next group; so no caller writes other callers' batches for ever.
 * <p>
 * {@link #merge} returns only once the caller's profiles are written through to the
 * database, so the durability of an acknowledged batch is unchanged: it is stored before
 * the request is answered. Merging is associative (see {@link ProfileMerge}), so merging
 * batches before the stored profile gives the same profile as merging them one by one.
 */
final class ProfileWrites
{
    private final IMap<String, String> profiles;
    private final ProfileLimits limits;
    private final Quarantine quarantine;
    private final Consumer<String> written;
    private final Object lock = new Object();
    private List<Pending> pending = new ArrayList<>();
    private boolean writing;

    private record Pending(String key, List<RuntimeEvent> events, CompletableFuture<Void> done, Thread caller) {}

    /**
     * @param written called with each profile key after a write of it, before its callers return (marks its image for recomputation)
     */
    ProfileWrites(IMap<String, String> profiles, ProfileLimits limits, Quarantine quarantine, Consumer<String> written)
    {
        this.profiles = requireNonNull(profiles, "profiles is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.quarantine = requireNonNull(quarantine, "quarantine is null");
        this.written = requireNonNull(written, "written is null");
    }

    /** Merges each key's events into the stored profile of the key; blocks until all are written through. */
    void merge(Map<String, List<RuntimeEvent>> byKey)
    {
        Thread caller = Thread.currentThread();
        List<CompletableFuture<Void>> mine = new ArrayList<>();
        synchronized (lock) {
            byKey.forEach((key, events) -> {
                CompletableFuture<Void> done = new CompletableFuture<>();
                // whoever finishes this batch's write wakes this caller, and only it
                done.whenComplete((ignored, failure) -> LockSupport.unpark(caller));
                pending.add(new Pending(key, List.copyOf(events), done, caller));
                mine.add(done);
            });
        }
        // write a group when no one else is writing; otherwise wait for the writer, which may take ours along
        while (true) {
            List<Pending> group = null;
            synchronized (lock) {
                if (mine.stream().allMatch(CompletableFuture::isDone)) {
                    rethrowFailure(mine);
                    return;
                }
                if (!writing && !pending.isEmpty()) {
                    writing = true;
                    group = pending;
                    pending = new ArrayList<>();
                }
            }
            if (group == null) {
                // parked outside the lock: a wake-up that came first left its permit, so none is missed
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    abandon(mine);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the profiles to be written");
                }
                continue;
            }
            try {
                write(group);
            }
            catch (RuntimeException e) {
                // no caller may wait for ever: what the write did not finish fails (completing a finished one does nothing)
                group.forEach(item -> item.done().completeExceptionally(e));
            }
            finally {
                synchronized (lock) {
                    writing = false;
                    wakeNextWriter();
                }
            }
        }
    }

    // Under the lock, with no write under way: the caller of the first pending batch writes the next group. Each
    // caller is woken only when its own batch is written or it is to write, not every waiting caller at each
    // group's end: on a loaded machine those wake-ups (each a thread switch) were a part of every answer.
    private void wakeNextWriter()
    {
        if (!pending.isEmpty()) {
            LockSupport.unpark(pending.get(0).caller());
        }
    }

    // An interrupted caller's batches not yet taken by a writer are not written (its caller is told they failed),
    // and whoever is next is woken in its place if it was to write.
    private void abandon(List<CompletableFuture<Void>> mine)
    {
        synchronized (lock) {
            pending.removeIf(item -> mine.contains(item.done()));
            if (!writing) {
                wakeNextWriter();
            }
        }
    }

    private static void rethrowFailure(List<CompletableFuture<Void>> done)
    {
        for (CompletableFuture<Void> item : done) {
            try {
                item.join();
            }
            catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }

    private void write(List<Pending> group)
    {
        // one profile per key from all the group's events: building it costs what the batches' own profiles would, without merging them
        Map<String, ProfileBuilder> builders = new LinkedHashMap<>();
        Map<String, List<CompletableFuture<Void>>> waiting = new LinkedHashMap<>();
        for (Pending item : group) {
            builders.computeIfAbsent(item.key(), ignored -> new ProfileBuilder(limits)).addAll(item.events());
            waiting.computeIfAbsent(item.key(), ignored -> new ArrayList<>()).add(item.done());
        }
        Map<String, ImageProfile> merged = new LinkedHashMap<>();
        builders.forEach((key, builder) -> merged.put(key, builder.build()));
        // every image's merge runs at once on the member that owns its key; the last one is run with executeOnKey, whose
        // caller the partition thread wakes itself: submitToKey's future is completed through Hazelcast's async executor,
        // one more thread woken per write, and the bench's single image (every group one key) paid that on every group
        List<String> keys = new ArrayList<>(merged.keySet());
        Map<String, CompletionStage<ProfileMerge.Unreadable>> writes = new LinkedHashMap<>();
        for (String key : keys.subList(0, keys.size() - 1)) {
            try {
                writes.put(key, profiles.submitToKey(key, new ProfileMerge(merged.get(key), limits)));
            }
            catch (RuntimeException e) {
                waiting.remove(key).forEach(done -> done.completeExceptionally(e));
            }
        }
        String last = keys.get(keys.size() - 1);
        try {
            written(last, profiles.executeOnKey(last, new ProfileMerge(merged.get(last), limits)), waiting.get(last));
        }
        catch (RuntimeException e) {
            waiting.get(last).forEach(done -> done.completeExceptionally(e));
        }
        for (Map.Entry<String, CompletionStage<ProfileMerge.Unreadable>> write : writes.entrySet()) {
            String key = write.getKey();
            try {
                written(key, write.getValue().toCompletableFuture().join(), waiting.get(key));
            }
            catch (RuntimeException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                waiting.get(key).forEach(done -> done.completeExceptionally(cause));
            }
        }
    }

    // the key's merge is written through: its quarantine and recomputation mark, then its callers are done
    private void written(String key, ProfileMerge.Unreadable replaced, List<CompletableFuture<Void>> callers)
    {
        if (replaced != null) {
            quarantine.put(HubMaps.PROFILES, key, replaced.value(), new IllegalArgumentException(replaced.reason()));
        }
        written.accept(key);
        callers.forEach(done -> done.complete(null));
    }
}
