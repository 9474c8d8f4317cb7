package io.runlight.hub.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code runlight vulns} against a real hub loaded with the demo's sample through
 * {@code runlight ingest} (learning window 0: the Trivy images' packages stay unknown
 * because their reports list no files): the table with its honest summary line, JSON
 * equal to the API's answer, CSV, and bad usage.
 */
final class TestVulnsCommand
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NL = System.lineSeparator();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path files;

    private static CliHub hub;

    @BeforeAll
    static void start()
            throws Exception
    {
        // 31 partitions, as every member of these tests (hub-core/pom.xml)
        hub = CliHub.start(dataDir);
        assertThat(hub.admin("ingest", "sbom", demo("alpine-3.17.2.syft.json"), demo("debian-buster.trivy.json"), demo("alpine-3.10.trivy.json")).exitCode()).isZero();
        assertThat(hub.admin("ingest", "vulns", demo("alpine-3.17.2.grype.json"), demo("debian-buster.trivy.json"), demo("alpine-3.10.trivy.json")).exitCode()).isZero();
        assertThat(hub.admin("ingest", "events", demo("events.ndjson")).exitCode()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!json("vulns", "--output", "json").path("summary").toString().contains("\"vulnerabilities\":14,\"inUse\":10")) {
            assertThat(System.nanoTime()).as("the hub computed the sample within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void tableListsTheInUseVulnerabilitiesAndSaysWhatTheFilterLeftOut()
    {
        CliHub.Result result = hub.admin("vulns", "--usage", "in-use");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +SEVERITY +CVSS +EPSS +EXPLOITED +FIX +USAGE +IMAGES +WORKLOADS IN USE/ALL +CLUSTERS +PACKAGES");
        assertThat(lines.subList(1, 11)).allSatisfy(line -> assertThat(line)
                .matches("CVE-2023-\\d{4} +(HIGH|MEDIUM) .* in use +1 +2 / 3 +2 +libcrypto3 3\\.0\\.8-r0 \\(in use\\), libssl3 3\\.0\\.8-r0 \\(not in use\\)"));
        assertThat(lines.get(1)).startsWith("CVE-2023-0464 ");
        assertThat(lines.subList(11, lines.size())).containsExactly("",
                "Without --usage: 14 vulnerabilities: 10 in use, 0 not in use, 4 unknown. No working-set reduction is claimed while verdicts are unknown.");
    }

    @Test
    void jsonIsTheHubsAnswer()
            throws Exception
    {
        JsonNode printed = json("vulns", "--cluster", "prod-eu", "--output", "json");
        JsonNode api = JSON.readTree(get("/api/v1/vulnerabilities?cluster=prod-eu&limit=1000"));
        assertThat(printed.path("vulnerabilities")).isEqualTo(api.path("vulnerabilities"));
        assertThat(printed.path("summary")).isEqualTo(api.path("summary"));
        // the debian image (legacy-portal) runs in staging only
        assertThat(printed.path("vulnerabilities")).hasSize(12);
    }

    @Test
    void csvHasOneRecordPerVulnerability()
    {
        CliHub.Result result = hub.admin("vulns", "--usage", "in-use", "--cluster", "staging", "--severity", "high", "--output", "csv");
        assertThat(result.exitCode()).as(result.err()).isZero();
        String[] records = result.out().split("\r\n");
        assertThat(records).hasSize(3);
        assertThat(records[0]).isEqualTo("id,severity,cvss,epss,knownExploited,fixAvailable,fixedIn,usage,images,workloads,workloadsInUse,clusters,packages,inUseBy");
        assertThat(records[1]).matches("CVE-2023-0464,HIGH,7\\.5,,false,true,3\\.0\\.8-r1,IN_USE,1,1,1,1,"
                + "\"pkg:apk/alpine/libcrypto3@3\\.0\\.8-r0\\?[^\"]* \\(in use\\), pkg:apk/alpine/libssl3@3\\.0\\.8-r0\\?[^\"]* \\(not in use\\)\",staging/shop/Deployment/cart/cart");
        assertThat(records[2]).startsWith("CVE-2023-5363,HIGH,");
    }

    @Test
    void csvFieldsAreQuotedAndNeverFormulas()
    {
        assertThat(VulnsCommand.csvLine(List.of("a,b", "say \"hi\"", "=HYPERLINK(1)", "plain", "")))
                .isEqualTo("\"a,b\",\"say \"\"hi\"\"\",'=HYPERLINK(1),plain," + "\r\n");
    }

    @Test
    void badUsageExitsWithTwo()
    {
        CliHub.Result badUsage = hub.admin("vulns", "--usage", "sometimes");
        assertThat(badUsage.exitCode()).isEqualTo(2);
        assertThat(badUsage.err()).startsWith("Invalid value for option '--usage': usage 'sometimes' is not a verdict: use in-use, not-in-use or unknown" + NL);

        CliHub.Result csvElsewhere = hub.admin("plugin", "list", "--output", "csv");
        assertThat(csvElsewhere.exitCode()).isEqualTo(2);
        assertThat(csvElsewhere.err()).startsWith("--output csv is not available for this command: use table or json (csv is for `runlight vulns`)." + NL);
    }

    private static JsonNode json(String... args)
    {
        CliHub.Result result = hub.admin(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        try {
            return JSON.readTree(result.out());
        }
        catch (IOException e) {
            throw new AssertionError("not JSON: " + result.out(), e);
        }
    }

    private static String get(String path)
            throws Exception
    {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.httpUrl() + path))
                .header("Authorization", "Bearer " + hub.readJwt()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String demo(String name)
    {
        try (InputStream in = TestVulnsCommand.class.getResourceAsStream("/demo/" + name)) {
            Path file = files.resolve(name);
            Files.write(file, in.readAllBytes());
            return file.toString();
        }
        catch (IOException e) {
            throw new AssertionError("cannot copy the demo's '" + name + "'", e);
        }
    }
}
