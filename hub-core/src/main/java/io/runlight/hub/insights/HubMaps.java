package io.runlight.hub.insights;

import java.util.List;

/**
 * Names of the hub's insights maps. Every one is a durable {@code IMap<String, String>}
 * of JSON values, written through to the database.
 */
public final class HubMaps
{
    /** Canonical digest → {@link ImageRecord}. */
    public static final String IMAGES = "images";
    /** Any digest of an image → its canonical digest. */
    public static final String IMAGE_ALIASES = "image_aliases";
    /** Image reference ({@code docker.io/library/alpine:3.17}) → canonical digest. */
    public static final String IMAGE_NAMES = "image_names";
    /** Any digest → {@link ReportIndex}: the latest scan report per format. */
    public static final String REPORTS = "reports";
    /** Any digest, or {@code name:<reference>} for events without one → the image's runtime profile. */
    public static final String PROFILES = "profiles";
    /** Canonical digest → the image document (the JSON of {@code analyze}). */
    public static final String INSIGHTS = "insights";
    /** Canonical digest → the per-container documents of the image. */
    public static final String WORKLOAD_INSIGHTS = "workload_insights";
    /** Canonical digest → {@link ImageSummary}: what the image listing shows, without the image's packages. */
    public static final String IMAGE_SUMMARIES = "image_summaries";
    /** Keys whose inputs changed since insights were last computed → when. */
    public static final String DIRTY = "dirty";

    /** {@code <map>/<key>/<time>} → {@link QuarantinedRecord}: stored values that could not be read, kept for inspection. */
    public static final String QUARANTINE = "quarantine";

    /** Every map above; all are durable. */
    public static final List<String> ALL = List.of(IMAGES, IMAGE_ALIASES, IMAGE_NAMES, REPORTS, PROFILES, INSIGHTS, WORKLOAD_INSIGHTS, IMAGE_SUMMARIES, DIRTY, QUARANTINE);

    /** The prefix of profile keys for events that name an image by reference only. */
    public static final String NAME_KEY_PREFIX = "name:";

    private HubMaps() {}
}
