package io.runlight.connector.scout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageReference;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.InsightsChange;

import static java.util.Objects.requireNonNull;

/**
 * Where an image lives, as Docker Scout names it: registry host, repository, and the
 * digest to report.
 *
 * @param registry the registry host, for example {@code docker.io}
 * @param repository the repository, for example {@code myorg/app}
 * @param digest the digest the image's name carries (a repository digest), or else the image's primary digest
 */
record ImageCoordinates(String registry, String repository, ImageDigest digest)
{
    ImageCoordinates
    {
        requireNonNull(registry, "registry is null");
        requireNonNull(repository, "repository is null");
        requireNonNull(digest, "digest is null");
    }

    /**
     * The coordinates of a changed image, from the names of the image and of its
     * workloads: a repository of the configured organization on Docker Hub first, then
     * any Docker Hub repository, then any other, each in name order. Within one repository
     * a name that carries a digest wins over a tag: that digest is one Scout knows the image
     * by, while the image's primary digest may be its config digest, which no registry
     * serves. Empty when the image has no parseable name.
     */
    static Optional<ImageCoordinates> of(InsightsChange change, String organization)
    {
        TreeSet<String> names = new TreeSet<>(change.insights().names());
        for (WorkloadInsights workload : change.workloads()) {
            names.addAll(workload.imageNames());
        }
        List<ImageReference> references = new ArrayList<>();
        for (String name : names) {
            try {
                references.add(ImageReference.parse(name));
            }
            catch (IllegalArgumentException notAReference) {
                // a name that is not an image reference cannot name a Scout repository; the others still can
            }
        }
        Comparator<ImageReference> preference = Comparator
                .comparing((ImageReference reference) -> !isHub(reference) || !reference.repository().startsWith(organization + "/"))
                .thenComparing(reference -> !isHub(reference))
                .thenComparing(ImageReference::name)
                .thenComparing(reference -> reference.digest().isEmpty());
        return references.stream()
                .sorted(preference)
                .findFirst()
                .map(reference -> new ImageCoordinates(reference.registry(), reference.repository(), reference.digest().orElse(change.insights().digest())));
    }

    /** Whether the image is on Docker Hub, where Scout needs no host name. */
    boolean onDockerHub()
    {
        return registry.equals(ImageReference.DEFAULT_REGISTRY);
    }

    /** {@code docker.io/myorg/app@sha256:...}, the form {@code setStreamImages} takes. */
    String imageWithDigest()
    {
        return registry + "/" + repository + "@" + digest.value();
    }

    private static boolean isHub(ImageReference reference)
    {
        return reference.registry().equals(ImageReference.DEFAULT_REGISTRY);
    }
}
