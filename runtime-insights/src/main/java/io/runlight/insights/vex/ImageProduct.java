package io.runlight.insights.vex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.ImageReference;
import io.runlight.plugin.api.Purl;

/**
 * The names a VEX document gives the image it is about: one product id per repository
 * the image is known in (tags are not identities, so they are left out), in the form
 * {@link ProductIdForm} asks for. An image known by no parseable name is named by its
 * digest alone.
 */
final class ImageProduct
{
    private ImageProduct() {}

    /** Sorted, distinct product ids; never empty. */
    static List<String> ids(ImageInsights image, ProductIdForm form)
    {
        TreeSet<String> ids = new TreeSet<>();
        for (ImageReference reference : references(image)) {
            ids.add(purl(reference, image.digest(), form).toString());
        }
        if (ids.isEmpty()) {
            ids.add(image.digest().value());
        }
        return List.copyOf(ids);
    }

    /** The image's repository as people write it ({@code alpine}, {@code ghcr.io/acme/app}), or its digest. */
    static String displayName(ImageInsights image)
    {
        return references(image).stream()
                .findFirst()
                .map(ImageProduct::shortRepository)
                .orElse(image.digest().value());
    }

    /** The purl of the image's first name, if it has one. */
    static Optional<String> purl(ImageInsights image, ProductIdForm form)
    {
        return references(image).stream()
                .findFirst()
                .map(reference -> purl(reference, image.digest(), form).toString());
    }

    private static Purl purl(ImageReference reference, ImageDigest digest, ProductIdForm form)
    {
        return switch (form) {
            case OCI -> {
                String repository = reference.repository();
                String name = repository.substring(repository.lastIndexOf('/') + 1);
                yield Purl.of("oci", null, name, digest.value()).withQualifier("repository_url", reference.name());
            }
            case DOCKER -> {
                String repository = shortRepository(reference);
                int slash = repository.lastIndexOf('/');
                String namespace = slash < 0 ? null : repository.substring(0, slash);
                yield Purl.of("docker", namespace, repository.substring(slash + 1), digest.value());
            }
        };
    }

    private static String shortRepository(ImageReference reference)
    {
        if (!reference.registry().equals(ImageReference.DEFAULT_REGISTRY)) {
            return reference.registry() + "/" + reference.repository();
        }
        if (reference.repository().startsWith("library/")) {
            return reference.repository().substring("library/".length());
        }
        return reference.repository();
    }

    private static List<ImageReference> references(ImageInsights image)
    {
        List<ImageReference> references = new ArrayList<>();
        for (String name : image.names()) {
            try {
                references.add(ImageReference.parse(name));
            }
            catch (IllegalArgumentException e) {
                // a name that is not an image reference cannot form a product id; the
                // digest still identifies the image, so the name is left out
                continue;
            }
        }
        return references;
    }
}
