package io.runlight.insights.input;

/**
 * The input formats Runlight reads, with the name used in messages and API responses.
 */
public enum DocumentFormat
{
    SYFT_JSON("Syft JSON", "syft-json"),
    CYCLONEDX_JSON("CycloneDX JSON", "cyclonedx-json"),
    SPDX_JSON("SPDX JSON", "spdx-json"),
    TRIVY_JSON("Trivy JSON", "trivy-json"),
    GRYPE_JSON("Grype JSON", "grype-json"),
    RUNLIGHT_EVENTS("Runlight events", "runlight-ndjson"),
    FALCO_JSON("Falco JSON", "falco-json"),
    TETRAGON_JSON("Tetragon JSON", "tetragon-json"),
    TRACEE_JSON("Tracee JSON", "tracee-json"),
    KUBESCAPE_PROFILE("Kubescape ContainerProfile", "kubescape-containerprofile"),
    PROC_MAPS("/proc/<pid>/maps", "proc-maps"),
    /** A Debian/Ubuntu file system's own package database ({@code var/lib/dpkg}), read by Runlight's index. */
    DPKG_DATABASE("dpkg database", "dpkg-database"),
    /** An Alpine file system's own package database ({@code lib/apk/db/installed}). */
    APK_DATABASE("apk database", "apk-database"),
    /** An rpm database ({@code rpmdb.sqlite}, Berkeley DB {@code Packages} or NDB {@code Packages.db}). */
    RPM_DATABASE("rpm database", "rpm-database"),
    /** A container image archive: {@code docker save} output or an OCI image layout (folder or tar). */
    IMAGE_ARCHIVE("image archive", "image-archive"),
    /** Runlight's own catalog of a root file system or an image archive ({@code runlight sbom}). */
    RUNLIGHT_CATALOG("Runlight catalog", "runlight-catalog");

    private final String displayName;
    private final String id;

    DocumentFormat(String displayName, String id)
    {
        this.displayName = displayName;
        this.id = id;
    }

    /** For messages, for example {@code Syft JSON}. */
    public String displayName()
    {
        return displayName;
    }

    /** For API responses, for example {@code syft-json}. */
    public String id()
    {
        return id;
    }
}
