package io.runlight.examples.summary;

import java.util.List;

import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.ProfileState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The line a person reads: the image named as {@code docker images} names it.
 */
final class TestSummaryLine
{
    private static final String REPO_DIGEST = "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501";

    @Test
    void aTaggedNameIsPreferredOverADigestOne()
    {
        assertThat(SummaryLine.name(named(List.of("alpine@" + REPO_DIGEST, "docker.io/library/alpine:3.17")))).isEqualTo("alpine:3.17");
    }

    @Test
    void otherRegistriesKeepTheirHost()
    {
        assertThat(SummaryLine.name(named(List.of("ghcr.io/acme/cart@" + REPO_DIGEST)))).isEqualTo("ghcr.io/acme/cart");
        assertThat(SummaryLine.name(named(List.of("not a reference", "acme/cart:1.4")))).isEqualTo("acme/cart:1.4");
    }

    @Test
    void anImageWithoutNamesIsAnImage()
    {
        assertThat(SummaryLine.of(named(List.of())))
                .isEqualTo("image (sha256:b2aa39c304c2): 2 of 4 packages in use, 10 of 20 vulnerabilities in use, profile learning");
    }

    private static ImageInsights named(List<String> names)
    {
        ImageInsights image = SampleInsights.image(SampleInsights.DIGEST, ProfileState.LEARNING);
        return new ImageInsights(image.digest(), image.aliases(), names, image.os(), image.profile(), image.summary(), image.packages(), image.vulnerabilities());
    }
}
