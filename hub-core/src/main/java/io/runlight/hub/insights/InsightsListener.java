package io.runlight.hub.insights;

import java.util.Optional;

import io.runlight.insights.correlate.ImageAnalysis;
import io.runlight.plugin.api.ImageInsights;

/**
 * Told when an image's insights were recomputed, on the member that computed them
 * (exactly one member per image at a time). Push delivery listens here.
 */
@FunctionalInterface
public interface InsightsListener
{
    /**
     * @param previous the image's insights before, if there were any
     * @param current the new analysis
     */
    void insightsComputed(Optional<ImageInsights> previous, ImageAnalysis current);
}
