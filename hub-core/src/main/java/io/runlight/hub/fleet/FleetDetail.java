package io.runlight.hub.fleet;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One vulnerability across the fleet with every image that has it.
 *
 * @param vulnerability the fleet-wide row
 * @param images the affected images, ordered by digest
 */
public record FleetDetail(FleetVulnerability vulnerability, List<AffectedImage> images)
{
    public FleetDetail
    {
        requireNonNull(vulnerability, "vulnerability is null");
        images = List.copyOf(requireNonNull(images, "images is null"));
    }

    /**
     * An image with the vulnerability.
     *
     * @param image the image, with its workloads
     * @param findings the image's findings of this vulnerability (one per affected package)
     */
    public record AffectedImage(ImageFindings image, List<ImageFindings.Finding> findings)
    {
        public AffectedImage
        {
            requireNonNull(image, "image is null");
            findings = List.copyOf(requireNonNull(findings, "findings is null"));
        }
    }
}
