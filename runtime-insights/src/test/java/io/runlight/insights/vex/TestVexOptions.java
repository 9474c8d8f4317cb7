package io.runlight.insights.vex;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestVexOptions
{
    @Test
    void defaultsStateOnlyWhatEvidenceRulesOut()
    {
        assertThat(VexOptions.DEFAULT).isEqualTo(new VexOptions("Runlight <runlight@localhost>", "https://runlight.localhost/vex", ProductIdForm.OCI, false, false));
    }

    @Test
    void mapsEveryOption()
    {
        VexOptions options = VexOptions.DEFAULT
                .withAuthor("Acme Security <security@acme.example>")
                .withIdBase(" https://hub.acme.example/vex// ")
                .withProductIdForm(ProductIdForm.DOCKER)
                .withStateAffected(true)
                .withStateUnderInvestigation(true);

        assertThat(options).isEqualTo(new VexOptions("Acme Security <security@acme.example>", "https://hub.acme.example/vex", ProductIdForm.DOCKER, true, true));
    }

    @Test
    void refusesUnusableValues()
    {
        assertThatThrownBy(() -> VexOptions.DEFAULT.withAuthor(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("author is blank");
        assertThatThrownBy(() -> VexOptions.DEFAULT.withAuthor("Acme\nSecurity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("author must not contain control characters");
        assertThatThrownBy(() -> VexOptions.DEFAULT.withIdBase("hub.acme.example/vex"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idBase must be an absolute IRI such as https://hub.example/vex: 'hub.acme.example/vex'");
        assertThatThrownBy(() -> VexOptions.DEFAULT.withProductIdForm(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("productIdForm is null");
    }
}
