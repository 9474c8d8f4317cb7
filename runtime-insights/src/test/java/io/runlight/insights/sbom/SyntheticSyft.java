package io.runlight.insights.sbom;

import java.nio.charset.StandardCharsets;

/**
 * Syft JSON documents of any size, in Syft's own field order (artifacts, relationships,
 * files, then source and schema), for tests of scale and format detection. Each package
 * owns its files through {@code contains} relationships only.
 */
final class SyntheticSyft
{
    private SyntheticSyft() {}

    static byte[] document(int packages, int filesPerPackage)
    {
        StringBuilder out = new StringBuilder(packages * (400 + filesPerPackage * 220));
        out.append("{\"artifacts\":[");
        for (int p = 0; p < packages; p++) {
            out.append(p == 0 ? "" : ",")
                    .append("{\"id\":\"pkg-").append(p).append("\",\"name\":\"pkg-").append(p).append("\",\"version\":\"1.0-").append(p)
                    .append("\",\"type\":\"deb\",\"foundBy\":\"dpkg-db-cataloger\",\"locations\":[{\"path\":\"/var/lib/dpkg/status\",\"layerID\":\"sha256:aa\"}]")
                    .append(",\"purl\":\"pkg:deb/debian/pkg-").append(p).append("@1.0-").append(p).append("?arch=amd64&distro=debian-12\"")
                    .append(",\"metadataType\":\"dpkg-db-entry\",\"metadata\":{\"package\":\"pkg-").append(p).append("\",\"architecture\":\"amd64\",\"files\":null}}");
        }
        out.append("],\"artifactRelationships\":[");
        for (int p = 0; p < packages; p++) {
            for (int f = 0; f < filesPerPackage; f++) {
                out.append(p == 0 && f == 0 ? "" : ",")
                        .append("{\"parent\":\"pkg-").append(p).append("\",\"child\":\"file-").append(p).append('-').append(f).append("\",\"type\":\"contains\"}");
            }
        }
        out.append("],\"files\":[");
        for (int p = 0; p < packages; p++) {
            for (int f = 0; f < filesPerPackage; f++) {
                out.append(p == 0 && f == 0 ? "" : ",")
                        .append("{\"id\":\"file-").append(p).append('-').append(f).append("\",\"location\":{\"path\":\"/usr/lib/pkg-").append(p)
                        .append("/file-").append(f).append(".so\",\"layerID\":\"sha256:aa\"},\"digests\":[{\"algorithm\":\"sha256\",\"value\":\"00\"}]}");
            }
        }
        out.append("],\"source\":{\"type\":\"image\",\"metadata\":{\"imageID\":\"sha256:").append("7".repeat(64)).append("\"}}")
                .append(",\"distro\":{\"id\":\"debian\",\"versionID\":\"12\"}")
                .append(",\"schema\":{\"version\":\"16.0.39\",\"url\":\"https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.0.39.json\"}}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
