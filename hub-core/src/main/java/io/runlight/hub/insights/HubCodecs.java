package io.runlight.hub.insights;

import io.runlight.hub.store.JsonCodec;
import io.runlight.insights.profile.ImageProfile;

/**
 * The JSON codecs of the values this package keeps in maps.
 */
final class HubCodecs
{
    static final JsonCodec<ImageRecord> IMAGE = JsonCodec.of(ImageRecord.class);
    static final JsonCodec<ReportIndex> REPORTS = JsonCodec.of(ReportIndex.class);
    static final JsonCodec<ImageProfile> PROFILE = JsonCodec.of(ImageProfile.class);
    static final JsonCodec<ImageSummary> SUMMARY = JsonCodec.of(ImageSummary.class);

    private HubCodecs() {}
}
