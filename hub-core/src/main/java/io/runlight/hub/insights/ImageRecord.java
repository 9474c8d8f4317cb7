package io.runlight.hub.insights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * What the hub knows of one image: its digests and names and the SBOM that describes
 * it. Scan reports and runtime profiles are kept under any of the image's digests and
 * joined when insights are computed, so either arrival order works.
 *
 * @param digest the canonical digest (the key of the image in every map)
 * @param aliases every other digest of the image
 * @param names references the image is known by
 * @param sbom the latest SBOM, if one arrived
 * @param updatedAt when the record last changed
 */
public record ImageRecord(String digest, List<String> aliases, List<String> names, Optional<StoredDocument> sbom, Instant updatedAt)
{
    public ImageRecord
    {
        requireNonBlank(digest, "digest");
        aliases = List.copyOf(requireNonNull(aliases, "aliases is null"));
        names = List.copyOf(requireNonNull(names, "names is null"));
        requireNonNull(sbom, "sbom is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    /** The canonical digest and every alias. */
    public List<String> allDigests()
    {
        List<String> all = new ArrayList<>();
        all.add(digest);
        all.addAll(aliases);
        return all;
    }

    /** This record with more digests and names and a new SBOM. */
    public ImageRecord withSbom(List<String> moreDigests, List<String> moreNames, StoredDocument document, Instant time)
    {
        LinkedHashSet<String> allAliases = new LinkedHashSet<>(aliases);
        allAliases.addAll(moreDigests);
        allAliases.remove(digest);
        LinkedHashSet<String> allNames = new LinkedHashSet<>(names);
        allNames.addAll(moreNames);
        return new ImageRecord(digest, List.copyOf(allAliases), List.copyOf(allNames), Optional.of(document), time);
    }
}
