package io.runlight.hub.demo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.runlight.hub.client.FleetSummaryLine;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.tls.SelfSignedCertificate;
import io.runlight.insights.report.DurationFormat;

import static java.util.Objects.requireNonNull;

/**
 * What {@code runlight demo} prints once it is ready: where the console and API are, the
 * admin token, the sample's images with their verdict counts as the hub computed them, the
 * integrations and their tokens, the local receiver, and commands to try next. Every
 * number comes from the hub's answers, not from expectations about the sample.
 */
final class DemoPrintout
{
    private static final String INDENT = "  ";

    private final HubConfig config;
    private final Optional<String> httpsUrl;
    private final Optional<String> httpUrl;
    private final String adminToken;
    private final Instant adminTokenExpiry;
    private final List<JsonNode> images;
    private final JsonNode fleet;
    private final boolean loadedBefore;
    private final Set<String> workloads;
    private final List<DemoIntegrations.DemoIntegration> integrations;
    private final List<String> tests;
    private final int replaced;
    private final URI receiver;
    private final Path receiverLog;
    private final String launcher;

    DemoPrintout(HubConfig config, Optional<String> httpsUrl, Optional<String> httpUrl, String adminToken, Instant adminTokenExpiry, List<JsonNode> images,
            JsonNode fleet, boolean loadedBefore, Set<String> workloads, List<DemoIntegrations.DemoIntegration> integrations, List<String> tests, int replaced, URI receiver, Path receiverLog,
            String launcher)
    {
        this.config = requireNonNull(config, "config is null");
        this.httpsUrl = requireNonNull(httpsUrl, "httpsUrl is null");
        this.httpUrl = requireNonNull(httpUrl, "httpUrl is null");
        this.adminToken = requireNonNull(adminToken, "adminToken is null");
        this.adminTokenExpiry = requireNonNull(adminTokenExpiry, "adminTokenExpiry is null");
        this.images = List.copyOf(requireNonNull(images, "images is null"));
        this.fleet = requireNonNull(fleet, "fleet is null");
        this.loadedBefore = loadedBefore;
        this.workloads = Set.copyOf(requireNonNull(workloads, "workloads is null"));
        this.integrations = List.copyOf(requireNonNull(integrations, "integrations is null"));
        this.tests = List.copyOf(requireNonNull(tests, "tests is null"));
        this.replaced = replaced;
        this.receiver = requireNonNull(receiver, "receiver is null");
        this.receiverLog = requireNonNull(receiverLog, "receiverLog is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
    }

    String render()
    {
        StringBuilder out = new StringBuilder();
        String main = httpsUrl.orElseGet(httpUrl::orElseThrow);
        Duration window = config.insights().learningWindow();

        out.append("Runlight demo: one hub member with sample data, three integrations and a local receiver. Stop it with Ctrl-C.\n\n");
        out.append("Hub\n");
        List<String> consoles = new ArrayList<>();
        httpsUrl.ifPresent(url -> consoles.add(url + "/console/"));
        httpUrl.ifPresent(url -> consoles.add(url + "/console/"));
        line(out, "Console:", consoles.get(0));
        consoles.stream().skip(1).forEach(url -> line(out, "", url));
        line(out, "API:", main + "/api/v1   (OpenAPI: " + main + "/openapi.yaml)");
        line(out, "Data folder:", config.dataDir().toAbsolutePath().normalize() + "   (H2 database, keys, certificate; delete it to start afresh)");
        if (httpsUrl.isPresent()) {
            line(out, "Certificate:", config.http().certificate().isPresent()
                    ? "the configured https.cert"
                    : "self-signed, " + certificate() + "   (a browser asks once; curl takes --cacert " + certificate() + ")");
        }
        line(out, "Admin token:", adminToken);
        line(out, "", "(role admin, valid until " + adminTokenExpiry + "; mint another with: " + launcher + " admin-token --data-dir " + config.dataDir() + ")");

        out.append("\nSample data: real Syft, Grype and Trivy output and runtime events, ")
                .append(loadedBefore
                        ? "loaded by an earlier run in this data folder (kept as it is: loading it twice would count every event twice)\n"
                        : "loaded through POST /api/v1/sboms, /api/v1/vulnerability-reports and /api/v1/runtime/events\n");
        TextColumns table = new TextColumns("IMAGE", "DIGEST", "PROFILE", "OBSERVED", "PACKAGES IN USE/NOT/UNKNOWN", "VULNERABILITIES IN USE/NOT/UNKNOWN");
        for (JsonNode image : images) {
            JsonNode summary = image.path("summary");
            JsonNode vulnerabilities = image.path("vulnerabilityUsage");
            String state = image.path("profile").path("state").asText();
            String finalIn = observed(image.path("finalIn").asText(""));
            table.row(displayName(image), shortDigest(image.path("digest").asText()), finalIn.equals("-") ? state : state + " (final in " + finalIn + ")",
                    observed(image.path("profile").path("observedFor").asText("")),
                    summary.path("packagesInUse").asInt() + " / " + summary.path("packagesNotInUse").asInt() + " / " + summary.path("packagesUnknown").asInt(),
                    vulnerabilities.path("inUse").asInt() + " / " + vulnerabilities.path("notInUse").asInt() + " / " + vulnerabilities.path("unknown").asInt());
        }
        table.appendTo(out, INDENT);
        out.append(INDENT).append(fleetLine(fleet)).append('\n');
        out.append(INDENT).append("Workloads: ").append(workloads.size()).append(" in clusters ").append(String.join(" and ", DemoSample.clusters(workloads))).append(".\n");
        out.append(INDENT).append("Learning window: ").append(DurationFormat.compact(window)).append(". A package is NOT_IN_USE only when its image's events span\n")
                .append(INDENT).append("at least that long (measured up to the image's last event); until then it is UNKNOWN, and the profile LEARNING.\n")
                .append(INDENT).append("The sample's event times are fixed: COMPLETE images above have final verdicts, LEARNING ones were observed for\n")
                .append(INDENT).append("less than the window. The Trivy reports list vulnerable packages but not their files, so events cannot name them.\n");

        out.append("\nIntegrations: tokens are shown only now. Each run deletes and recreates these three, so every run prints new tokens")
                .append(replaced > 0 ? " (" + replaced + " from an earlier run replaced)" : "").append(".\n");
        TextColumns tokens = new TextColumns("NAME", "PLUGIN", "TOKEN", "EXPIRES", "CONNECTION TEST");
        for (int i = 0; i < integrations.size(); i++) {
            DemoIntegrations.DemoIntegration integration = integrations.get(i);
            tokens.row(integration.name(), integration.connector(), integration.token(), seconds(integration.expiresAt()), tests.get(i));
        }
        tokens.appendTo(out, INDENT);
        for (DemoIntegrations.DemoIntegration integration : integrations) {
            out.append(INDENT).append(integration.name()).append(": ").append(integration.role()).append('\n');
        }

        out.append("\nLocal receiver: ").append(receiver).append('\n')
                .append(INDENT).append("A stand-in for Snyk's API, Docker Hub and Docker Scout, and a webhook endpoint, started by the demo on 127.0.0.1 so that\n")
                .append(INDENT).append("nothing leaves this machine. It answers as those services do and logs each request below (\"receiver |\") and in\n")
                .append(INDENT).append(receiverLog).append("; webhook deliveries show whether their signature verified.\n");

        String snykToken = integrations.stream().filter(integration -> integration.connector().equals("snyk")).findFirst()
                .map(DemoIntegrations.DemoIntegration::token).orElse("<snyk token>");
        String cacert = httpsUrl.isPresent() && config.http().certificate().isEmpty() ? "--cacert " + certificate() + " " : "";
        String readBase = httpUrl.orElse(main);
        String readCacert = httpUrl.isPresent() ? "" : cacert;
        String hubFlags = "--hub " + main + (config.http().certificate().isPresent() ? "" : " --data-dir " + config.dataDir());
        out.append("\nWhat to try next\n")
                .append(INDENT).append("Open the console, or ask the same questions from a terminal: export the admin token, list the images with their\n")
                .append(INDENT).append("verdicts, pull what Snyk's Kubernetes monitor would pull with the Snyk token, and manage tokens and integrations:\n\n")
                .append(INDENT).append(INDENT).append("export RUNLIGHT_TOKEN='").append(adminToken).append("'\n")
                .append(INDENT).append(INDENT).append("curl -s ").append(readCacert).append("-H \"Authorization: Bearer $RUNLIGHT_TOKEN\" ").append(readBase).append("/api/v1/images\n")
                .append(INDENT).append(INDENT).append("curl -s ").append(cacert).append("-H 'Authorization: Bearer ").append(snykToken).append("' '").append(main)
                .append("/api/scanning/eveintegration/v2/runtimeimages?clusterName=prod-eu&limit=10'\n")
                .append(INDENT).append(INDENT).append(launcher).append(" token list ").append(hubFlags).append('\n')
                .append(INDENT).append(INDENT).append(launcher).append(" integration list ").append(hubFlags).append("\n\n")
                .append(INDENT).append("New SBOMs or events (").append(launcher).append(" ingest ... ").append(hubFlags).append(") change verdicts, and every change is pushed to the\n")
                .append(INDENT).append("receiver. Ctrl-C stops the hub gracefully; running the demo again on the same data folder keeps the data.\n");
        return out.toString();
    }

    private Path certificate()
    {
        return config.dataDir().resolve("tls").resolve(SelfSignedCertificate.CERTIFICATE_FILE);
    }

    private static void line(StringBuilder out, String label, String value)
    {
        out.append(INDENT).append(String.format("%-13s", label)).append(value).append('\n');
    }

    /** A name with a tag reads best; else the repository of a name with a digest; else the digest. */
    private static String displayName(JsonNode image)
    {
        String repository = "";
        for (JsonNode name : image.path("names")) {
            String text = name.asText();
            int at = text.indexOf('@');
            if (at > 0) {
                repository = repository.isEmpty() ? text.substring(0, at) : repository;
                continue;
            }
            if (text.substring(text.lastIndexOf('/') + 1).contains(":")) {
                return text;
            }
        }
        return repository.isEmpty() ? shortDigest(image.path("digest").asText()) : repository;
    }

    private static String seconds(String instant)
    {
        try {
            return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
        }
        catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static String shortDigest(String digest)
    {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    private static String observed(String isoDuration)
    {
        if (isoDuration.isEmpty()) {
            return "-";
        }
        try {
            return DurationFormat.compact(Duration.parse(isoDuration));
        }
        catch (DateTimeParseException | IllegalArgumentException e) {
            return isoDuration;
        }
    }

    /** The fleet's vulnerabilities, told honestly (see {@link FleetSummaryLine}). */
    static String fleetLine(JsonNode summary)
    {
        return FleetSummaryLine.of("Fleet: ", summary);
    }

    /** Left-aligned columns, two spaces apart. */
    private static final class TextColumns
    {
        private final List<String[]> rows = new ArrayList<>();

        TextColumns(String... headers)
        {
            rows.add(headers);
        }

        void row(String... cells)
        {
            rows.add(cells);
        }

        void appendTo(StringBuilder out, String indent)
        {
            int columns = rows.get(0).length;
            int[] widths = new int[columns];
            for (String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder(indent);
                for (int i = 0; i < columns; i++) {
                    line.append(row[i]);
                    if (i < columns - 1) {
                        line.append(" ".repeat(widths[i] - row[i].length() + 2));
                    }
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
        }
    }
}
