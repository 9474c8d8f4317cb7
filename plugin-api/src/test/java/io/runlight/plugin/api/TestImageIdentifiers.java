package io.runlight.plugin.api;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestImageIdentifiers
{
    private static final String HEX = "e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501";

    @Test
    void digestIsLowerCasedAndSplit()
    {
        ImageDigest digest = new ImageDigest("SHA256:" + HEX.toUpperCase());

        assertThat(digest.value()).isEqualTo("sha256:" + HEX);
        assertThat(digest.algorithm()).isEqualTo("sha256");
        assertThat(digest.shortHex()).isEqualTo("e2e16842c9b5");
        assertThat(ImageDigest.parse(HEX)).isEqualTo(digest);
    }

    @Test
    void invalidDigestsAreRejected()
    {
        assertThatThrownBy(() -> new ImageDigest("sha256:1234"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid image digest 'sha256:1234': expected sha256:<64 hex digits> or sha512:<128 hex digits>");
        assertThatThrownBy(() -> new ImageDigest(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("value is null");
        assertThat(ImageDigest.isValid("md5:" + HEX)).isFalse();
    }

    @Test
    void shortReferencesNormaliseLikeDocker()
    {
        ImageReference alpine = ImageReference.parse("alpine:3.17");

        assertThat(alpine.registry()).isEqualTo("docker.io");
        assertThat(alpine.repository()).isEqualTo("library/alpine");
        assertThat(alpine.tag()).contains("3.17");
        assertThat(alpine.toString()).isEqualTo("docker.io/library/alpine:3.17");
    }

    @Test
    void registryPortAndDigestAreKept()
    {
        ImageReference reference = ImageReference.parse("localhost:5000/acme/cart:1.4@sha256:" + HEX);

        assertThat(reference.registry()).isEqualTo("localhost:5000");
        assertThat(reference.repository()).isEqualTo("acme/cart");
        assertThat(reference.tag()).contains("1.4");
        assertThat(reference.digest()).contains(new ImageDigest("sha256:" + HEX));
    }

    @Test
    void kubernetesImageIdIsRead()
    {
        ImageReference reference = ImageReference.parse("docker-pullable://ghcr.io/acme/app@sha256:" + HEX);

        assertThat(reference.name()).isEqualTo("ghcr.io/acme/app");
        assertThat(reference.tag()).isEmpty();
        assertThat(reference.digest().map(ImageDigest::hex)).contains(HEX);
    }

    @Test
    void badReferencesAreRejected()
    {
        assertThatThrownBy(() -> ImageReference.parse("")).hasMessage("image reference is empty");
        assertThatThrownBy(() -> ImageReference.parse("Acme/App:1")).hasMessage("invalid image reference 'Acme/App:1': repository names are lower case");
        assertThatThrownBy(() -> ImageReference.parse("acme app")).hasMessage("invalid image reference 'acme app': it contains whitespace or control characters");
        assertThat(ImageReference.parse("acme/app").tag()).isEqualTo(Optional.empty());
    }
}
