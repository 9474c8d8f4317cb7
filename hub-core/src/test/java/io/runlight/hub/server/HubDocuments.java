package io.runlight.hub.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Documents for whole-hub tests: small Syft SBOMs and Grype reports made from the
 * Alpine 3.17.2 fixtures (trimmed to four packages), each copy under its own image
 * digests, and Runlight NDJSON events for an image.
 */
final class HubDocuments
{
    /** The packages kept from the fixture: enough for verdicts, small enough to post hundreds. */
    private static final Set<String> KEPT_PACKAGES = Set.of("busybox", "musl", "libcrypto3", "libssl3");
    /** The fixture's repo (and Grype's manifest) digest, manifest digest and image id, without {@code sha256:}. */
    private static final List<String> FIXTURE_DIGESTS = List.of(
            "e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
            "fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3",
            "b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");

    private static final String SBOM_TEMPLATE = trimmedSbom();
    private static final String REPORT_TEMPLATE = resource("alpine-3.17.2.grype.json");

    private HubDocuments() {}

    /** The Syft SBOM of image copy {@code seed}. */
    static String sbom(String seed)
    {
        return withDigests(SBOM_TEMPLATE, seed);
    }

    /** The Grype report of image copy {@code seed}. */
    static String report(String seed)
    {
        return withDigests(REPORT_TEMPLATE, seed);
    }

    /** The digest under which a hub that did not know image copy {@code seed} keys it: the first digest its SBOM names. */
    static String sbomDigest(String seed)
    {
        Sbom sbom = new SbomReader(InputLimits.DEFAULT).read(new ByteArrayInputStream(sbom(seed).getBytes(StandardCharsets.UTF_8)));
        return sbom.image().digests().get(0).value();
    }

    /** One Runlight NDJSON event: {@code process} executes {@code /bin/busybox} in a container of the image, at {@code time}. */
    static String execEvent(String imageDigest, String pod, Instant time)
    {
        return new JsonObject()
                .put("time", time.toString())
                .put("cluster", "test")
                .put("namespace", "shop")
                .put("workloadKind", "Deployment")
                .put("workloadName", "cart")
                .put("pod", pod)
                .put("container", "cart")
                .put("containerId", "containerd://" + pod)
                .put("imageDigest", imageDigest)
                .put("kind", "exec")
                .put("path", "/bin/busybox")
                .put("process", "/bin/busybox")
                .encode() + "\n";
    }

    private static String withDigests(String template, String seed)
    {
        String document = template;
        for (int i = 0; i < FIXTURE_DIGESTS.size(); i++) {
            document = document.replace(FIXTURE_DIGESTS.get(i), hex(seed, i));
        }
        return document;
    }

    private static String hex(String seed, int index)
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((seed + "/" + index).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static String trimmedSbom()
    {
        JsonObject sbom = new JsonObject(resource("alpine-3.17.2.syft.json"));
        JsonArray artifacts = new JsonArray();
        Set<String> keptIds = new HashSet<>();
        for (Object item : sbom.getJsonArray("artifacts")) {
            JsonObject artifact = (JsonObject) item;
            if (KEPT_PACKAGES.contains(artifact.getString("name"))) {
                artifacts.add(artifact);
                keptIds.add(artifact.getString("id"));
            }
        }
        JsonArray relationships = new JsonArray();
        Set<String> keptFiles = new HashSet<>();
        for (Object item : sbom.getJsonArray("artifactRelationships")) {
            JsonObject relationship = (JsonObject) item;
            if (keptIds.contains(relationship.getString("parent")) && keptIds.contains(relationship.getString("child"))
                    || keptIds.contains(relationship.getString("parent")) && relationship.getString("type").equals("contains")) {
                relationships.add(relationship);
                keptFiles.add(relationship.getString("child"));
            }
        }
        JsonArray files = new JsonArray();
        for (Object item : sbom.getJsonArray("files")) {
            JsonObject file = (JsonObject) item;
            if (keptFiles.contains(file.getString("id"))) {
                files.add(file);
            }
        }
        return sbom.put("artifacts", artifacts).put("artifactRelationships", relationships).put("files", files).encode();
    }

    private static String resource(String name)
    {
        try (InputStream in = HubDocuments.class.getResourceAsStream("/server/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource 'server/" + name + "' is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource 'server/" + name + "'", e);
        }
    }
}
