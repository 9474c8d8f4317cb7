package io.runlight.connector.scout;

import java.util.List;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.InsightsChange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which repository and digest Scout is told about, from the names of an image and its workloads.
 */
final class TestImageCoordinates
{
    private static final ImageDigest REPO_DIGEST = new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");

    @Test
    void aNameWithADigestWinsOverATagOfTheSameRepository()
    {
        // ':' sorts before '@': the tag comes first in name order, yet its image id is no digest Scout knows
        ImageCoordinates coordinates = coordinates(List.of("docker.io/library/alpine:3.17.2", "docker.io/library/alpine@" + REPO_DIGEST.value()));

        assertThat(coordinates).isEqualTo(new ImageCoordinates("docker.io", "library/alpine", REPO_DIGEST));
        assertThat(coordinates.imageWithDigest()).isEqualTo("docker.io/library/alpine@" + REPO_DIGEST.value());
    }

    @Test
    void aTagAloneReportsTheImagesPrimaryDigest()
    {
        assertThat(coordinates(List.of("docker.io/library/alpine:3.17.2")))
                .isEqualTo(new ImageCoordinates("docker.io", "library/alpine", AlpineFixture.DIGEST));
    }

    @Test
    void theOrganizationsRepositoryWinsOverADigest()
    {
        assertThat(coordinates(List.of("docker.io/library/alpine@" + REPO_DIGEST.value(), "docker.io/myorg/app:1.0")))
                .isEqualTo(new ImageCoordinates("docker.io", "myorg/app", AlpineFixture.DIGEST));
    }

    private static ImageCoordinates coordinates(List<String> names)
    {
        ImageInsights alpine = AlpineFixture.insights(ProfileState.COMPLETE, Usage.NOT_IN_USE);
        ImageInsights named = new ImageInsights(alpine.digest(), alpine.aliases(), names, alpine.os(), alpine.profile(), alpine.summary(),
                alpine.packages(), alpine.vulnerabilities());
        InsightsChange change = new InsightsChange(ChangeType.IMAGE_INSIGHTS_CHANGED, named, List.of(), List.of(), AlpineFixture.CHANGE_TIME);
        return ImageCoordinates.of(change, "myorg").orElseThrow();
    }
}
