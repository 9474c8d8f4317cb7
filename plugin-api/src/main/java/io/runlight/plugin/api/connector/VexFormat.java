package io.runlight.plugin.api.connector;

/**
 * The VEX document forms the hub produces.
 */
public enum VexFormat
{
    /** OpenVEX 0.2.0 JSON. */
    OPENVEX,
    /** CycloneDX 1.6 JSON with {@code vulnerabilities[].analysis}. */
    CYCLONEDX
}
