package io.runlight.hub.insights;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;

import static java.util.Objects.requireNonNull;

/**
 * What the image listing needs of one image, kept as its own small record beside the image
 * document (map {@value HubMaps#IMAGE_SUMMARIES}), so that listing images costs the same for
 * an image of ten packages as for one of a million.
 *
 * @param digest the canonical digest
 * @param listItemJson the listing's item for the image: digest, names, profile, summary and
 *         vulnerability usage, as the listing shows it
 * @param packagesInUse how many of its packages are in use (the {@code inUse} filter)
 * @param places the clusters and namespaces it runs in (the {@code cluster} and {@code namespace} filters)
 * @param profile its runtime profile's summary (how much longer its verdicts learn)
 */
public record ImageSummary(String digest, String listItemJson, int packagesInUse, List<Place> places, ProfileSummary profile)
{
    public ImageSummary
    {
        requireNonNull(digest, "digest is null");
        requireNonNull(listItemJson, "listItemJson is null");
        places = List.copyOf(requireNonNull(places, "places is null"));
        requireNonNull(profile, "profile is null");
    }

    /** Whether the image runs in the cluster and namespace asked for (either may be absent: any). */
    public boolean runsIn(Optional<String> cluster, Optional<String> namespace)
    {
        return places.stream().anyMatch(place -> cluster.map(place.cluster()::equals).orElse(true) && namespace.map(place.namespace()::equals).orElse(true));
    }

    /** For a learning profile: how much more observation its verdicts need to become final. */
    public Optional<Duration> finalIn(Duration learningWindow)
    {
        if (profile.state() != ProfileState.LEARNING || profile.observedFor().compareTo(learningWindow) >= 0) {
            return Optional.empty();
        }
        return Optional.of(learningWindow.minus(profile.observedFor()));
    }

    /** A cluster and namespace an image runs in. */
    public record Place(String cluster, String namespace)
    {
        public Place
        {
            requireNonNull(cluster, "cluster is null");
            requireNonNull(namespace, "namespace is null");
        }
    }
}
