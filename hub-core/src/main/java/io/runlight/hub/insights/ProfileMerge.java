package io.runlight.hub.insights;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.hazelcast.map.EntryProcessor;

import io.runlight.insights.profile.FileObservation;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileLimits;

import static java.util.Objects.requireNonNull;

/**
 * Merges a batch's profile into the stored profile of one image key, on the member
 * that owns the key: one map operation per image and batch instead of one write per
 * event. Merging is associative, so batches may arrive in any order and grouping.
 *
 * <p>The batch travels as the decoded profile while the merge stays on this member (the
 * owner of the key is local: Hazelcast runs the processor as it is); it is encoded only if
 * the processor is sent to another member, and decoded there once. The member that runs
 * the merge keeps the profile it last wrote for a key ({@link DecodedProfiles}) and reuses it
 * while the stored value is still that exact text, so a stream of batches for one image
 * decodes its stored profile once instead of once per batch. It keeps the text of each of the
 * profile's file observations too, and the observations a merge keeps as they were (those no
 * batch of the group touched) are written as that text again instead of being encoded anew.
 *
 * <p>A stored profile that cannot be decoded is replaced by the batch and handed back
 * as the result, for the caller to {@link Quarantine}: it must never make every later
 * batch for its image fail.
 */
public final class ProfileMerge
        implements EntryProcessor<String, String, ProfileMerge.Unreadable>
{
    @Serial
    private static final long serialVersionUID = 2L;

    /** Set on the member that made this merge; null after deserialisation on another one. */
    private transient ImageProfile batch;
    /** The batch as JSON: only made when the processor is serialised. */
    private String batchProfileJson;
    private final int maxProcessesPerFile;
    private final int maxAccessedFiles;

    public ProfileMerge(ImageProfile batch, ProfileLimits limits)
    {
        this.batch = requireNonNull(batch, "batch is null");
        this.maxProcessesPerFile = limits.maxProcessesPerFile();
        this.maxAccessedFiles = limits.maxAccessedFiles();
    }

    @Override
    public Unreadable process(Map.Entry<String, String> entry)
    {
        ImageProfile batch = this.batch != null ? this.batch : HubCodecs.PROFILE.decode(batchProfileJson);
        ProfileLimits limits = new ProfileLimits(maxProcessesPerFile, maxAccessedFiles);
        String key = entry.getKey();
        String stored = entry.getValue();
        if (stored == null) {
            store(entry, key, batch, Map.of());
            return null;
        }
        Optional<DecodedProfiles.Decoded> written = DecodedProfiles.INSTANCE.get(key, stored);
        if (written.isPresent()) {
            store(entry, key, written.get().profile().merge(batch, limits), written.get().files());
            return null;
        }
        ImageProfile previous;
        try {
            previous = HubCodecs.PROFILE.decode(stored);
        }
        catch (IllegalArgumentException e) {
            store(entry, key, batch, Map.of());
            return new Unreadable(stored, e.getMessage());
        }
        store(entry, key, previous.merge(batch, limits), Map.of());
        return null;
    }

    /**
     * The profile stored as {@code stored} under {@code key}: the one this JVM last wrote there when
     * {@code stored} is exactly its text (so no decoding), else decoded. The recomputation of an
     * image's insights reads its profile every pass, mostly just after the merge that wrote it.
     *
     * @throws IllegalArgumentException if {@code stored} is no profile
     */
    static ImageProfile read(String key, String stored)
    {
        requireNonNull(stored, "stored is null");
        return DecodedProfiles.INSTANCE.get(requireNonNull(key, "key is null"), stored)
                .map(DecodedProfiles.Decoded::profile)
                .orElseGet(() -> HubCodecs.PROFILE.decode(stored));
    }

    // the file observations the merge kept as they were are written as the text they had
    private static void store(Map.Entry<String, String> entry, String key, ImageProfile profile, Map<FileObservation, String> files)
    {
        ProfileJson.Written written = ProfileJson.encode(profile, files);
        entry.setValue(written.json());
        DecodedProfiles.INSTANCE.put(key, written, profile);
    }

    @Serial
    private void writeObject(ObjectOutputStream out)
            throws IOException
    {
        if (batchProfileJson == null) {
            batchProfileJson = ProfileJson.encode(batch);
        }
        out.defaultWriteObject();
    }

    /**
     * The stored value this merge replaced because it could not be read, and why.
     *
     * @param value the stored value
     * @param reason the decoding failure's message
     */
    public record Unreadable(String value, String reason)
            implements Serializable
    {
        public Unreadable
        {
            requireNonNull(value, "value is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * The profiles this JVM last wrote, by key, with the exact text written: a stored value
     * equal to that text is that profile (decoding is deterministic and profiles are
     * immutable), so it need not be decoded again. Bounded by entries and by text length;
     * the least recently used entry goes first.
     */
    static final class DecodedProfiles
    {
        static final DecodedProfiles INSTANCE = new DecodedProfiles(256, 16 * 1024 * 1024);

        private final int maxEntries;
        private final long maxChars;
        private final LinkedHashMap<String, Decoded> entries = new LinkedHashMap<>(16, 0.75f, true);
        private long chars;

        /**
         * A profile this JVM wrote, with the text written and the text of each of its file observations.
         *
         * @param json the text written
         * @param profile the profile it is the text of
         * @param files the text of each file observation of the profile, by identity ({@link ProfileJson.Written#files()})
         */
        record Decoded(String json, ImageProfile profile, Map<FileObservation, String> files)
        {
            // the profile's text and, about as long, its observations' texts
            long chars()
            {
                return 2L * json.length();
            }
        }

        DecodedProfiles(int maxEntries, long maxChars)
        {
            this.maxEntries = maxEntries;
            this.maxChars = maxChars;
        }

        /** The profile whose encoding is exactly {@code stored}, if this JVM wrote it last for {@code key}. */
        synchronized Optional<Decoded> get(String key, String stored)
        {
            Decoded decoded = entries.get(key);
            if (decoded == null || !decoded.json().equals(stored)) {
                return Optional.empty();
            }
            return Optional.of(decoded);
        }

        synchronized void put(String key, ProfileJson.Written written, ImageProfile profile)
        {
            Decoded previous = entries.remove(key);
            if (previous != null) {
                chars -= previous.chars();
            }
            Decoded decoded = new Decoded(written.json(), profile, written.files());
            if (decoded.chars() > maxChars / 4) {
                // one profile may not take most of the bound
                return;
            }
            entries.put(key, decoded);
            chars += decoded.chars();
            Iterator<Decoded> eldest = entries.values().iterator();
            while (entries.size() > maxEntries || chars > maxChars) {
                chars -= eldest.next().chars();
                eldest.remove();
            }
        }
    }
}
