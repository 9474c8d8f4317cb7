package io.runlight.connector.scout;

/**
 * What a push message of this connector does; kept in the message's {@code kind} attribute.
 */
enum MessageKind
{
    /** {@code setStreamImages}: the full image list of one Scout environment. */
    ENVIRONMENT,
    /** {@code addVulnerabilityException} for one (CVE, package) not in use. */
    ADD_EXCEPTION,
    /** {@code removeVulnerabilityException} of one exception created earlier. */
    REMOVE_EXCEPTION,
    /** The image's OpenVEX document, PUT to {@code vexUrl}. */
    OPENVEX;

    static final String ATTRIBUTE = "kind";

    /** Whether the message goes to Scout's GraphQL endpoint (and so needs a JWT). */
    boolean graphql()
    {
        return this != OPENVEX;
    }
}
