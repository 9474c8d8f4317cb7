package io.runlight.hub.insights;

import java.io.Serial;
import java.util.Map;

import com.hazelcast.map.EntryProcessor;

import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileLimits;

import static java.util.Objects.requireNonNull;

/**
 * Merges a batch's profile into the stored profile of one image key, on the member
 * that owns the key: one map operation per image and batch instead of one write per
 * event. Merging is associative, so batches may arrive in any order and grouping.
 */
public final class ProfileMerge
        implements EntryProcessor<String, String, Void>
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
    public Void process(Map.Entry<String, String> entry)
    {
        ImageProfile batch = HubCodecs.PROFILE.decode(batchProfileJson);
        ProfileLimits limits = new ProfileLimits(maxProcessesPerFile, maxAccessedFiles);
        String stored = entry.getValue();
        ImageProfile merged = stored == null ? batch : HubCodecs.PROFILE.decode(stored).merge(batch, limits);
        entry.setValue(HubCodecs.PROFILE.encode(merged));
        return null;
    }
}
