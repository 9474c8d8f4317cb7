package io.runlight.insights.sbom;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.runlight.plugin.api.ImageDigest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --image} / {@code ?image=}: a digest, or a name with a digest; a tag is refused,
 * and a document that names another digest is never renamed.
 */
class TestGivenImage
{
    private static final String HEX = "e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501";
    private static final ImageDigest DIGEST = new ImageDigest("sha256:" + HEX);

    @Test
    void aDigestOrANameWithADigest()
    {
        assertThat(GivenImage.parse("sha256:" + HEX)).isEqualTo(new GivenImage(DIGEST, Optional.empty()));
        assertThat(GivenImage.parse("  ghcr.io/acme/app@sha256:" + HEX + " ")).isEqualTo(new GivenImage(DIGEST, Optional.of("ghcr.io/acme/app@sha256:" + HEX)));
        assertThat(GivenImage.parse("alpine@sha256:" + HEX).reference()).contains("docker.io/library/alpine@sha256:" + HEX);
    }

    @Test
    void anythingElseIsRefusedWithWhatIsExpected()
    {
        assertThatThrownBy(() -> GivenImage.parse("alpine:3.17"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image 'alpine:3.17' names no digest: a tag is a name, not an identity; expected sha256:<64 hex digits> or name@sha256:<64 hex digits>");
        assertThatThrownBy(() -> GivenImage.parse("sha256:1234"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image 'sha256:1234' is not a digest: expected sha256: and 64 lower-case hex digits, or name@sha256:...");
        assertThatThrownBy(() -> GivenImage.parse("not an image\u0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("image 'not an image\u0000' is not an image reference");
        assertThatThrownBy(() -> GivenImage.parse("  "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GivenImage.parse("x".repeat(10_000) + "@sha256:" + HEX))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesADocumentThatNamesNoneAndNeverContradictsOne()
    {
        GivenImage given = GivenImage.parse("ghcr.io/acme/app@sha256:" + HEX);

        assertThat(given.applyTo(ImageIdentity.UNKNOWN, "SBOM")).isEqualTo(new ImageIdentity(List.of(DIGEST), List.of("ghcr.io/acme/app@sha256:" + HEX)));
        ImageDigest config = new ImageDigest("sha256:" + "b".repeat(64));
        ImageIdentity documented = new ImageIdentity(List.of(config, DIGEST), List.of("alpine:3.17"));
        assertThat(given.applyTo(documented, "SBOM")).isEqualTo(new ImageIdentity(List.of(config, DIGEST), List.of("alpine:3.17", "ghcr.io/acme/app@sha256:" + HEX)));

        ImageIdentity other = new ImageIdentity(List.of(config), List.of());
        assertThatThrownBy(() -> given.applyTo(other, "report"))
                .isInstanceOf(GivenImage.ImageMismatchException.class)
                .hasMessage("the report names image " + config + ", not the given " + DIGEST
                        + ": leave out the image option, or give one of the digests the report records (" + config + ")");
    }
}
