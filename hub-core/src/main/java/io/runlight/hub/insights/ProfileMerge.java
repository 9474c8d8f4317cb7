package io.runlight.hub.insights;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

import com.hazelcast.map.EntryProcessor;

import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileLimits;

import static java.util.Objects.requireNonNull;

/**
 * Merges a batch's profile into the stored profile of one image key, on the member
 * that owns the key: one map operation per image and batch instead of one write per
 * event. Merging is associative, so batches may arrive in any order and grouping.
 *
 * <p>A stored profile that cannot be decoded is replaced by the batch and handed back
 * as the result, for the caller to {@link Quarantine}: it must never make every later
 * batch for its image fail.
 */
public final class ProfileMerge
        implements EntryProcessor<String, String, ProfileMerge.Unreadable>
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final String batchProfileJson;
    private final int maxProcessesPerFile;
    private final int maxAccessedFiles;

    public ProfileMerge(String batchProfileJson, ProfileLimits limits)
    {
        this.batchProfileJson = requireNonNull(batchProfileJson, "batchProfileJson is null");
        this.maxProcessesPerFile = limits.maxProcessesPerFile();
        this.maxAccessedFiles = limits.maxAccessedFiles();
    }

    @Override
    public Unreadable process(Map.Entry<String, String> entry)
    {
        ImageProfile batch = HubCodecs.PROFILE.decode(batchProfileJson);
        ProfileLimits limits = new ProfileLimits(maxProcessesPerFile, maxAccessedFiles);
        String stored = entry.getValue();
        if (stored == null) {
            entry.setValue(HubCodecs.PROFILE.encode(batch));
            return null;
        }
        ImageProfile previous;
        try {
            previous = HubCodecs.PROFILE.decode(stored);
        }
        catch (IllegalArgumentException e) {
            entry.setValue(HubCodecs.PROFILE.encode(batch));
            return new Unreadable(stored, e.getMessage());
        }
        entry.setValue(HubCodecs.PROFILE.encode(previous.merge(batch, limits)));
        return null;
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
}
