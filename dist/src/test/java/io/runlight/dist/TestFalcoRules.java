package io.runlight.dist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runlight.insights.index.CodeFileClassifier;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8: the distribution's {@code falco/} folder sends Runlight exactly the events it
 * needs. For every rule of {@code runlight_rules.yaml}, and every syscall its condition
 * names, an alert is built the way Falco builds it (one {@code output_fields} entry per
 * {@code %field} of the rule's output, nothing else) and read by Runlight's own reader of
 * {@code POST /api/v1/runtime/falco}: it must become exactly one event of the rule's
 * evidence kind, for the right file, process, container and image. The rules' code-file
 * condition must agree with what Runlight counts as code, and the output configuration
 * must produce such alerts and deliver them with a token.
 */
class TestFalcoRules
{
    private static final Pattern FIELD = Pattern.compile("%([a-z0-9_.]+)");
    private static final Pattern EVENT_TYPES = Pattern.compile("evt\\.type in \\(([^)]*)\\)");
    private static final Pattern SUFFIX = Pattern.compile("fd\\.name endswith \"([^\"]+)\"");
    private static final Pattern CONTAINS = Pattern.compile("fd\\.name contains \"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DIGEST = "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501";
    private static final String TIME = "2026-11-28T12:00:00.123456789Z";
    /** What Falco would fill each field with, for a Python process of a "cart" pod. */
    private static final Map<String, String> SAMPLE = Map.ofEntries(
            Map.entry("proc.exepath", "/usr/bin/python3.11"),
            Map.entry("proc.name", "python3.11"),
            Map.entry("fd.name", "/usr/lib/x86_64-linux-gnu/libssl.so.3"),
            Map.entry("container.id", "4f2a1c9b7d3e"),
            Map.entry("container.name", "cart"),
            Map.entry("container.image.repository", "docker.io/acme/cart"),
            Map.entry("container.image.tag", "1.4"),
            Map.entry("container.image.digest", DIGEST),
            Map.entry("k8s.ns.name", "shop"),
            Map.entry("k8s.pod.name", "cart-7d9f8b6c5-x2x7q"));
    /** The fields Runlight's Falco reader reads besides evt.type (formats/inputs.md, FalcoAlerts). */
    private static final List<String> IDENTITY = List.of("proc.exepath", "proc.name", "container.id", "container.name",
            "container.image.repository", "container.image.tag", "container.image.digest", "k8s.ns.name", "k8s.pod.name");

    private final Path falco = Distribution.unpackedTree().resolve("falco");

    @Test
    void everyRuleEmitsExactlyTheFieldsRunlightReads()
            throws IOException
    {
        Map<String, Map<String, Object>> rules = rules();

        assertThat(rules).containsOnlyKeys("Runlight exec", "Runlight code open", "Runlight code mmap");
        assertThat(fields(rules.get("Runlight exec"))).containsExactlyElementsOf(concat(List.of("evt.type"), IDENTITY));
        assertThat(fields(rules.get("Runlight code open"))).containsExactlyElementsOf(concat(List.of("evt.type", "fd.name"), IDENTITY));
        assertThat(fields(rules.get("Runlight code mmap"))).containsExactlyElementsOf(concat(List.of("evt.type", "fd.name"), IDENTITY));
        assertThat(rules.values()).allSatisfy(rule -> {
            assertThat(rule.get("priority")).isEqualTo("INFORMATIONAL");
            assertThat(rule.get("tags")).isEqualTo(List.of("runlight"));
        });
    }

    @Test
    void runlightsReaderTurnsEachRulesAlertIntoOneEventOfItsKind()
            throws IOException
    {
        Map<String, EvidenceKind> kinds = Map.of("Runlight exec", EvidenceKind.EXEC, "Runlight code open", EvidenceKind.OPEN, "Runlight code mmap", EvidenceKind.MMAP);
        int alerts = 0;
        for (Map.Entry<String, Map<String, Object>> rule : rules().entrySet()) {
            List<String> types = eventTypes(rule.getValue());
            assertThat(types).as("syscalls of rule '%s'", rule.getKey()).isNotEmpty();
            for (String type : types) {
                EventBatch batch = read(alert(rule.getKey(), rule.getValue(), type, SAMPLE));

                EvidenceKind kind = kinds.get(rule.getKey());
                String path = kind == EvidenceKind.EXEC ? "/usr/bin/python3.11" : "/usr/lib/x86_64-linux-gnu/libssl.so.3";
                assertThat(batch.format()).isEqualTo(DocumentFormat.FALCO_JSON);
                assertThat(batch.errors()).as("rule '%s', %s", rule.getKey(), type).isEmpty();
                assertThat(batch.events()).as("rule '%s', %s", rule.getKey(), type).containsExactly(new RuntimeEvent(
                        new ContainerIdentity(Optional.empty(), Optional.of("shop"), Optional.empty(), Optional.empty(), Optional.of("cart-7d9f8b6c5-x2x7q"),
                                Optional.of("cart"), Optional.of("4f2a1c9b7d3e"), Optional.of("docker.io/acme/cart:1.4"), Optional.of(new ImageDigest(DIGEST))),
                        kind, path, Optional.of("/usr/bin/python3.11"), Instant.parse(TIME), Sensor.FALCO));
                alerts++;
            }
        }
        assertThat(alerts).isEqualTo(7);
    }

    @Test
    void alertsWithoutDigestOrKubernetesFieldsAreStillEvents()
            throws IOException
    {
        // pulled by tag (Falco leaves the digest empty: the hub resolves repository:tag from SBOMs) and run outside Kubernetes
        Map<String, String> values = new LinkedHashMap<>(SAMPLE);
        values.put("container.image.digest", null);
        values.put("k8s.ns.name", "<NA>");
        values.put("k8s.pod.name", null);

        EventBatch batch = read(alert("Runlight exec", rules().get("Runlight exec"), "execve", values));

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).singleElement().satisfies(event -> {
            assertThat(event.container().imageDigest()).isEmpty();
            assertThat(event.container().image()).contains("docker.io/acme/cart:1.4");
            assertThat(event.container().namespace()).isEmpty();
            assertThat(event.kind()).isEqualTo(EvidenceKind.EXEC);
        });
    }

    @Test
    void theCodeFileConditionAgreesWithWhatRunlightCountsAsCode()
            throws IOException
    {
        String condition = (String) macros().get("runlight_code_file").get("condition");
        List<String> suffixes = all(SUFFIX, condition);
        List<String> infixes = all(CONTAINS, condition);

        assertThat(infixes).containsExactly(".so.");
        assertThat(suffixes).allSatisfy(suffix -> assertThat(CodeFileClassifier.isCode("/app/file" + suffix)).as(suffix).isTrue());
        List<String> code = List.of("/usr/lib/x86_64-linux-gnu/libssl.so.3", "/lib/ld-musl-x86_64.so.1", "/usr/lib/libz.so.1.2.13", "/usr/lib/libc.so",
                "/app/app.jar", "/app/x.war", "/app/x.ear", "/app/classes/A.class", "/usr/lib/python3.11/os.py",
                "/usr/lib/python3.11/__pycache__/os.cpython-311.pyc", "/app/x.pyo", "/app/x.pyd", "/app/node_modules/lodash/index.js",
                "/app/index.mjs", "/app/index.cjs", "/app/build/addon.node", "/usr/lib/ruby/gems/3.2.0/gems/rack-3.0.8/lib/rack.rb",
                "/var/www/index.php", "/app/app.phar", "/app/App.dll", "/app/tool.exe", "/app/module.wasm");
        List<String> data = List.of("/etc/passwd", "/usr/share/zoneinfo/UTC", "/app/config.json", "/usr/share/doc/README", "/etc/ssl/openssl.cnf");
        assertThat(code).allSatisfy(path -> {
            assertThat(CodeFileClassifier.isCode(path)).as("Runlight: %s", path).isTrue();
            assertThat(matches(path, suffixes, infixes)).as("rules: %s", path).isTrue();
        });
        assertThat(data).allSatisfy(path -> {
            assertThat(CodeFileClassifier.isCode(path)).as("Runlight: %s", path).isFalse();
            assertThat(matches(path, suffixes, infixes)).as("rules: %s", path).isFalse();
        });
    }

    @Test
    void falcoPostsJsonAlertsWithTheTokenInItsUrlOrThroughFalcosidekick()
            throws IOException
    {
        Map<String, Object> config = new Yaml().load(Files.readString(falco.resolve("falco.yaml")));
        assertThat(config).containsEntry("json_output", true)
                .containsEntry("json_include_output_property", true)
                .containsEntry("priority", "informational")
                .containsEntry("rule_matching", "all");
        @SuppressWarnings("unchecked")
        Map<String, Object> http = (Map<String, Object>) config.get("http_output");
        // libcurl sends the URL's credentials as HTTP Basic; the hub takes a Runlight token as the Basic password,
        // and the cluster the alerts name none of from the query
        assertThat(http).containsEntry("enabled", true)
                .containsEntry("url", "https://falco:rlt_REPLACE_WITH_THE_INGEST_TOKEN@runlight.runlight.svc.cluster.local:8443/api/v1/runtime/falco?cluster=CLUSTER_NAME");
        // the alternative without Falcosidekick posts to the same endpoint with the token
        assertThat(Files.readString(falco.resolve("falco.yaml")))
                .contains("keep_alive: false", "Authorization: Bearer ${RUNLIGHT_INGEST_TOKEN}", "/api/v1/runtime/falco?cluster=CLUSTER_NAME");

        Map<String, Object> sidekick = new Yaml().load(Files.readString(falco.resolve("falcosidekick.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> webhook = (Map<String, Object>) sidekick.get("webhook");
        assertThat((String) webhook.get("address")).endsWith("/api/v1/runtime/falco?cluster=CLUSTER_NAME").startsWith("https://");
        assertThat(webhook).containsEntry("method", "POST").containsEntry("customheaders", Map.of("Authorization", "Bearer rlt_REPLACE_WITH_THE_INGEST_TOKEN"));
    }

    /** A Falco alert as json_output writes it and http_output posts it: output_fields holds exactly the rule's %fields. */
    private static byte[] alert(String name, Map<String, Object> rule, String type, Map<String, String> values)
            throws IOException
    {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("hostname", "node-1");
        String output = ((String) rule.get("output")).strip().replaceAll("\\s+", " ");
        ObjectNode fields = JSON.createObjectNode();
        for (String field : fields(rule)) {
            String value = field.equals("evt.type") ? type : values.get(field);
            assertThat(values.containsKey(field) || field.equals("evt.type")).as("a sample value for %s", field).isTrue();
            if (value == null) {
                fields.putNull(field);
            }
            else {
                fields.put(field, value);
            }
            output = output.replace("%" + field, value == null ? "<NA>" : value);
        }
        alert.put("output", TIME + ": Informational " + output);
        alert.put("priority", "Informational");
        alert.put("rule", name);
        alert.put("source", "syscall");
        alert.putArray("tags").add("runlight");
        alert.put("time", TIME);
        alert.set("output_fields", fields);
        return JSON.writeValueAsBytes(alert);
    }

    private static EventBatch read(byte[] alert)
    {
        return new RuntimeEventReader(InputLimits.DEFAULT).read(new ByteArrayInputStream(alert));
    }

    private static List<String> fields(Map<String, Object> rule)
    {
        return all(FIELD, (String) rule.get("output"));
    }

    private static List<String> eventTypes(Map<String, Object> rule)
    {
        Matcher matcher = EVENT_TYPES.matcher((String) rule.get("condition"));
        assertThat(matcher.find()).isTrue();
        return List.of(matcher.group(1).split("\\s*,\\s*"));
    }

    private static boolean matches(String path, List<String> suffixes, List<String> infixes)
    {
        return suffixes.stream().anyMatch(path::endsWith) || infixes.stream().anyMatch(path::contains);
    }

    private static List<String> all(Pattern pattern, String text)
    {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private Map<String, Map<String, Object>> rules()
            throws IOException
    {
        return items("rule");
    }

    private Map<String, Map<String, Object>> macros()
            throws IOException
    {
        return items("macro");
    }

    private Map<String, Map<String, Object>> items(String kind)
            throws IOException
    {
        List<Map<String, Object>> items = new Yaml().load(Files.readString(falco.resolve("runlight_rules.yaml"), StandardCharsets.UTF_8));
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        for (Map<String, Object> item : items) {
            if (item.containsKey(kind)) {
                found.put((String) item.get(kind), item);
            }
        }
        return found;
    }

    private static List<String> concat(List<String> first, List<String> second)
    {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
