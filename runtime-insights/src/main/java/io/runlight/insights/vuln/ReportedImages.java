package io.runlight.insights.vuln;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.plugin.api.ImageDigest;

/**
 * Collects the digests and names a scan report records for its image, in the order
 * {@link ImageIdentity} wants (primary digest first). Values that are not digests are
 * not identities and are left out; references of the form {@code repo@sha256:...}
 * contribute both a name and a digest.
 */
final class ReportedImages
{
    private final List<ImageDigest> digests = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** Adds a digest given as {@code sha256:...}, or the digest part of {@code repo@sha256:...}. */
    ReportedImages digest(Optional<String> text)
    {
        text.flatMap(ReportedImages::digestOf).ifPresent(digests::add);
        return this;
    }

    /** Adds a reference as a name, and its digest part if it has one. */
    ReportedImages reference(Optional<String> text)
    {
        text.ifPresent(value -> {
            names.add(value);
            if (value.contains("@")) {
                digestOf(value).ifPresent(digests::add);
            }
        });
        return this;
    }

    /** Adds a reference as a name only (a tag or a scan target). */
    ReportedImages name(Optional<String> text)
    {
        text.ifPresent(names::add);
        return this;
    }

    ImageIdentity build()
    {
        return new ImageIdentity(digests, names);
    }

    /** The digest in {@code text}: the text itself, or what follows its last {@code @}. */
    static Optional<ImageDigest> digestOf(String text)
    {
        String candidate = text.substring(text.lastIndexOf('@') + 1).strip();
        if (!ImageDigest.isValid(candidate)) {
            return Optional.empty();
        }
        return Optional.of(new ImageDigest(candidate));
    }
}
