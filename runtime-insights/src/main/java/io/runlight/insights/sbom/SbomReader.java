package io.runlight.insights.sbom;

import java.io.BufferedInputStream;
import java.io.InputStream;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.FormatDetector;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;

import static java.util.Objects.requireNonNull;

/**
 * Reads an SBOM of any supported format: detects the format from the content (never the
 * file name) and hands the stream to that format's reader. A document that is not an SBOM
 * (a Grype report, runtime events) is refused with what was found and what is expected.
 */
public final class SbomReader
{
    private static final String EXPECTED = "expected an SBOM: Syft JSON, CycloneDX JSON, SPDX 2.3 JSON or Trivy JSON";

    private final SyftJsonReader syft;
    private final CycloneDxJsonReader cycloneDx;
    private final SpdxJsonReader spdx;
    private final TrivyJsonReader trivy;

    public SbomReader(InputLimits limits)
    {
        requireNonNull(limits, "limits is null");
        this.syft = new SyftJsonReader(limits);
        this.cycloneDx = new CycloneDxJsonReader(limits);
        this.spdx = new SpdxJsonReader(limits);
        this.trivy = new TrivyJsonReader(limits);
    }

    /**
     * Detects the document's format and reads it.
     *
     * @throws InputException if the document is not an SBOM (INVALID), cannot be parsed
     *         (MALFORMED) or is over a limit (TOO_LARGE); nothing is returned then
     */
    public Sbom read(InputStream in)
    {
        return read(in, "/");
    }

    /**
     * Detects the document's format and reads it, resolving paths the document writes
     * relative to a scanned folder (cyclonedx-npm's {@code node_modules/express}, Trivy's
     * {@code usr/lib/...}) against {@code root}: where that folder is in the container.
     *
     * @throws InputException as {@link #read(InputStream)}
     * @throws IllegalArgumentException if the root is not an absolute path
     */
    public Sbom read(InputStream in, String root)
    {
        requireNonNull(in, "in is null");
        BufferedInputStream buffered = FormatDetector.buffered(in);
        return read(buffered, FormatDetector.detect(buffered), root);
    }

    /**
     * Reads the document as the given format, without detection.
     *
     * @throws InputException as {@link #read(InputStream)}, and INVALID if the format is not an SBOM format
     */
    public Sbom read(InputStream in, DocumentFormat format)
    {
        return read(in, format, "/");
    }

    private Sbom read(InputStream in, DocumentFormat format, String root)
    {
        requireNonNull(in, "in is null");
        requireNonNull(format, "format is null");
        return switch (format) {
            // Syft writes absolute paths only
            case SYFT_JSON -> syft.read(in);
            case CYCLONEDX_JSON -> cycloneDx.read(in, root);
            case SPDX_JSON -> spdx.read(in, root);
            case TRIVY_JSON -> trivy.read(in, root);
            case GRYPE_JSON -> throw notAnSbom(format, "a vulnerability report");
            case RUNLIGHT_EVENTS, FALCO_JSON, TETRAGON_JSON, TRACEE_JSON, KUBESCAPE_PROFILE, PROC_MAPS -> throw notAnSbom(format, "runtime events");
            case DPKG_DATABASE, APK_DATABASE, RPM_DATABASE -> throw notAnSbom(format, "a package database, read from a file system root by its own reader");
            case IMAGE_ARCHIVE, RUNLIGHT_CATALOG -> throw notAnSbom(format, "an image or its catalog: make an SBOM of it with \"runlight sbom\"");
        };
    }

    private static InputException notAnSbom(DocumentFormat format, String what)
    {
        return new InputException(InputException.Reason.INVALID, "input", "/",
                "not an SBOM: found " + format.displayName() + " (" + what + "); " + EXPECTED);
    }
}
