package io.runlight.connector.webhook;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.connector.VexFormat;

/**
 * What the body of a delivery is: Runlight's event envelope or the image's VEX document.
 */
enum PayloadForm
{
    /** The event envelope of formats/webhook.md (or a batch of them). */
    RUNLIGHT("runlight", Optional.empty()),
    /** The image's OpenVEX 0.2.0 document, as the hub serves it. */
    OPENVEX("openvex", Optional.of(VexFormat.OPENVEX)),
    /** The image's CycloneDX 1.6 VEX document, as the hub serves it. */
    CYCLONEDX_VEX("cyclonedx-vex", Optional.of(VexFormat.CYCLONEDX));

    private final String configName;
    private final Optional<VexFormat> vexFormat;

    PayloadForm(String configName, Optional<VexFormat> vexFormat)
    {
        this.configName = configName;
        this.vexFormat = vexFormat;
    }

    /** The value of the {@code payload} configuration property. */
    String configName()
    {
        return configName;
    }

    /** The VEX format of the document sent, for the VEX forms. */
    Optional<VexFormat> vexFormat()
    {
        return vexFormat;
    }

    static Optional<PayloadForm> fromConfigName(String name)
    {
        return Arrays.stream(values()).filter(form -> form.configName.equals(name)).findFirst();
    }

    static List<String> configNames()
    {
        return Arrays.stream(values()).map(PayloadForm::configName).toList();
    }
}
