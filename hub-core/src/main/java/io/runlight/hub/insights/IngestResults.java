package io.runlight.hub.insights;

import java.util.List;

import io.runlight.insights.runtime.EventError;

import static java.util.Objects.requireNonNull;

/**
 * What the ingest endpoints answer.
 */
public final class IngestResults
{
    private IngestResults() {}

    /**
     * @param imageDigest the canonical digest the SBOM was stored under
     * @param packages how many packages it lists
     * @param format the format detected
     */
    public record Sbom(String imageDigest, int packages, String format)
    {
        public Sbom
        {
            requireNonNull(imageDigest, "imageDigest is null");
            requireNonNull(format, "format is null");
        }
    }

    /**
     * @param imageDigest the digest the report was stored under (canonical if the image is known)
     * @param vulnerabilities how many findings it lists
     * @param format the format detected
     */
    public record Report(String imageDigest, int vulnerabilities, String format)
    {
        public Report
        {
            requireNonNull(imageDigest, "imageDigest is null");
            requireNonNull(format, "format is null");
        }
    }

    /**
     * @param accepted events stored
     * @param rejected events refused
     * @param errors the first problems, with their place in the request
     */
    public record Events(int accepted, int rejected, List<EventError> errors)
    {
        public Events
        {
            errors = List.copyOf(requireNonNull(errors, "errors is null"));
        }
    }
}
