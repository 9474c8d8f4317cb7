package io.runlight.plugin.api.connector;

/**
 * What happened to an image's insights.
 */
public enum ChangeType
{
    /** Verdicts of the image changed (a package became in use, a profile completed, new vulnerabilities). */
    IMAGE_INSIGHTS_CHANGED("runlight.image.insights.changed"),
    /** The image's profile reached the end of its learning window. */
    PROFILE_COMPLETED("runlight.image.profile.completed"),
    /**
     * A package that was not in use in a complete profile was loaded. Delivered as a
     * {@link PackageFirstUse} through {@link Pusher#translateFirstUse}, never as an
     * {@link InsightsChange}: connectors written before it receive nothing new.
     */
    PACKAGE_FIRST_USED("runlight.package.first_used");

    private final String eventType;

    ChangeType(String eventType)
    {
        this.eventType = eventType;
    }

    /** The event type name used in webhooks and push messages. */
    public String eventType()
    {
        return eventType;
    }
}
