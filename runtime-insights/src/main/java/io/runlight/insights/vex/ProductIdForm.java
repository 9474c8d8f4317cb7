package io.runlight.insights.vex;

/**
 * How a VEX document names the image it speaks about. Scanners match statements to
 * what they scan by this id, and they do not agree on its form.
 */
public enum ProductIdForm
{
    /**
     * The package-url spec's OCI form,
     * {@code pkg:oci/alpine@sha256:…?repository_url=docker.io/library/alpine}: what
     * vexctl, Grype and Trivy match.
     */
    OCI,
    /**
     * Docker Scout's form, {@code pkg:docker/<repo>@sha256:…}, with the repository as
     * Docker Hub shows it ({@code alpine}, {@code acme/app}) or, for another registry,
     * prefixed by its host ({@code ghcr.io/acme/app}).
     */
    DOCKER
}
