package io.runlight.insights.vex;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.connector.VexFormat;

import static java.util.Objects.requireNonNull;

/**
 * One entry point for the VEX forms the hub serves ({@code GET /api/v1/images/{digest}/vex})
 * and the CLI writes ({@code analyze --format openvex|cyclonedx}).
 */
public final class VexDocuments
{
    private final OpenVexWriter openVex;
    private final CycloneDxVexWriter cycloneDx;

    public VexDocuments(VexOptions options)
    {
        requireNonNull(options, "options is null");
        this.openVex = new OpenVexWriter(options);
        this.cycloneDx = new CycloneDxVexWriter(options);
    }

    /** Writes the image's VEX document in {@code format} to {@code out}, which is flushed, not closed. */
    public void write(ImageInsights image, VexFormat format, Instant timestamp, OutputStream out)
            throws IOException
    {
        requireNonNull(format, "format is null");
        switch (format) {
            case OPENVEX -> openVex.write(image, timestamp, out);
            case CYCLONEDX -> cycloneDx.write(image, timestamp, out);
        }
    }

    /** The image's VEX document in {@code format} as UTF-8 bytes. */
    public byte[] toBytes(ImageInsights image, VexFormat format, Instant timestamp)
    {
        requireNonNull(image, "image is null");
        return VexDocumentOutput.toBytes("VEX", image, out -> write(image, format, timestamp, out));
    }

    /**
     * The HTTP content type: CycloneDX's registered {@code application/vnd.cyclonedx+json}
     * with its version, and plain {@code application/json} for OpenVEX, which has no
     * registered media type.
     */
    public static String contentType(VexFormat format)
    {
        requireNonNull(format, "format is null");
        return switch (format) {
            case OPENVEX -> "application/json";
            case CYCLONEDX -> "application/vnd.cyclonedx+json; version=1.6";
        };
    }

    /** The usual file name suffix: {@code .openvex.json} or {@code .cdx.json}. */
    public static String fileExtension(VexFormat format)
    {
        requireNonNull(format, "format is null");
        return switch (format) {
            case OPENVEX -> ".openvex.json";
            case CYCLONEDX -> ".cdx.json";
        };
    }
}
