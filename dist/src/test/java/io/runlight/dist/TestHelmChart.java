package io.runlight.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.runlight.hub.config.ConfigOption;
import io.runlight.hub.config.HubOptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks the Helm chart under {@code dist/helm/runlight} without Helm, which this build
 * cannot install: {@code Chart.yaml} and {@code values.yaml} are parsed as they are, and
 * every template is parsed as YAML after a small, honest text replacement:
 * <ul>
 * <li>a line that holds nothing but template actions ({@code {{- if ... }}},
 * {@code {{- end }}}, {@code {{- include ... | nindent 4 }}}, {@code {{- toYaml ... }}})
 * is removed;</li>
 * <li>every other action ({@code {{ ... }}} or {@code {{- ... }}}) inside a line becomes the
 * plain scalar {@value #PLACEHOLDER}.</li>
 * </ul>
 * Limits, which {@code helm lint} and {@code helm template} in a release cover instead: the
 * chart is not rendered, so both branches of an {@code if}/{@code else} are parsed together
 * (duplicate keys are therefore allowed); the YAML that a removed {@code include} or
 * {@code toYaml} line would produce is not checked, nor are the types of values, nor
 * helper templates ({@code _helpers.tpl}) and {@code NOTES.txt} beyond the values they
 * reference; an action spanning several lines is not supported and fails the test.
 * What is checked: the expected kinds, the settings that make a working hub cluster
 * (headless service, probes, environment variables that are real hub options, mounts),
 * and that templates and {@code values.yaml} agree on every {@code .Values} path.
 */
class TestHelmChart
{
    private static final String PLACEHOLDER = "TEMPLATED";
    private static final Pattern ACTION = Pattern.compile("\\{\\{-?.*?-?}}");
    private static final Pattern ONLY_ACTIONS = Pattern.compile("^\\s*(\\{\\{-?.*?-?}}\\s*)+$");
    private static final Pattern VALUES_PATH = Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
    /** Variables of bin/runlight itself, not hub options. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("RUNLIGHT_JAVA_OPTS");

    private final Path chart = Path.of(System.getProperty("basedir", ".")).resolve("helm/runlight");

    @Test
    void chartDescribesThisVersion()
    {
        Map<String, Object> chartYaml = map(parse(chart.resolve("Chart.yaml")));

        assertThat(chartYaml).containsEntry("apiVersion", "v2")
                .containsEntry("name", "runlight")
                .containsEntry("type", "application")
                .containsEntry("appVersion", version());
        assertThat(chartYaml.get("version")).isInstanceOf(String.class);
    }

    @Test
    void templatesAreYamlOfTheExpectedKinds()
            throws IOException
    {
        Map<String, List<String>> kinds = new TreeMap<>();
        for (Path template : yamlTemplates()) {
            for (Object document : parseTemplate(template)) {
                kinds.computeIfAbsent(template.getFileName().toString(), ignored -> new ArrayList<>()).add((String) map(document).get("kind"));
            }
        }

        assertThat(kinds).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "agent-daemonset.yaml", List.of("DaemonSet"),
                "agent-rbac.yaml", List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding"),
                "configmap.yaml", List.of("ConfigMap"),
                "ingress.yaml", List.of("Ingress"),
                "role.yaml", List.of("Role"),
                "rolebinding.yaml", List.of("RoleBinding"),
                "service-hazelcast.yaml", List.of("Service"),
                "service.yaml", List.of("Service"),
                "serviceaccount.yaml", List.of("ServiceAccount"),
                "statefulset.yaml", List.of("StatefulSet"))));
        assertThat(chart.resolve("templates/NOTES.txt")).isRegularFile();
        assertThat(chart.resolve("templates/_helpers.tpl")).isRegularFile();
    }

    @Test
    void headlessServicePublishesTheClusterPortOfMembersNotYetReady()
            throws IOException
    {
        Map<String, Object> service = single(chart.resolve("templates/service-hazelcast.yaml"));
        Map<String, Object> spec = map(service.get("spec"));

        assertThat(spec).containsEntry("clusterIP", "None").containsEntry("publishNotReadyAddresses", true);
        assertThat(list(spec.get("ports"))).containsExactly(Map.of("name", "hazelcast", "port", PLACEHOLDER, "targetPort", "hazelcast", "protocol", "TCP"));
        String text = Files.readString(chart.resolve("templates/service-hazelcast.yaml"));
        assertThat(text).contains("port: {{ .Values.hub.clusterPort }}", "name: {{ include \"runlight.hazelcastService\" . }}");
        assertThat(Files.readString(chart.resolve("templates/statefulset.yaml"))).contains("serviceName: {{ include \"runlight.hazelcastService\" . }}");
        assertThat(Files.readString(chart.resolve("templates/_helpers.tpl")))
                .contains("{{- define \"runlight.hazelcastService\" -}}\n{{- printf \"%s-hazelcast\" (include \"runlight.fullname\" .) }}");
    }

    @Test
    void clientServiceExposesHttpAndHttps()
            throws IOException
    {
        Map<String, Object> spec = map(single(chart.resolve("templates/service.yaml")).get("spec"));

        assertThat(spec).doesNotContainKey("clusterIP");
        assertThat(list(spec.get("ports"))).containsExactly(
                Map.of("name", "http", "port", PLACEHOLDER, "targetPort", "http", "protocol", "TCP"),
                Map.of("name", "https", "port", PLACEHOLDER, "targetPort", "https", "protocol", "TCP"));
        assertThat(Files.readString(chart.resolve("templates/service.yaml")))
                .contains("port: {{ .Values.service.httpPort }}", "port: {{ .Values.service.httpsPort }}");
        Map<String, Object> values = values();
        assertThat(map(values.get("service"))).containsEntry("httpPort", 8080).containsEntry("httpsPort", 8443);
        assertThat(map(values.get("hub"))).containsEntry("httpPort", 8080).containsEntry("httpsPort", 8443).containsEntry("clusterPort", 5701);
    }

    @Test
    void statefulSetRunsTheHubWithProbesMountsAndRealSettings()
            throws IOException
    {
        Map<String, Object> statefulSet = single(chart.resolve("templates/statefulset.yaml"));
        Map<String, Object> podSpec = map(map(map(statefulSet.get("spec")).get("template")).get("spec"));
        Map<String, Object> hub = containers(podSpec.get("containers")).get("hub");

        assertThat(hub.get("command")).isEqualTo(List.of("/opt/runlight/bin/runlight"));
        assertThat(hub.get("args")).isEqualTo(List.of("serve", "--config", "/etc/runlight/config/runlight.yaml"));
        assertThat(map(map(hub.get("livenessProbe")).get("httpGet"))).containsEntry("path", "/health/live");
        assertThat(map(map(hub.get("startupProbe")).get("httpGet"))).containsEntry("path", "/health/live");
        assertThat(map(map(hub.get("readinessProbe")).get("httpGet"))).containsEntry("path", "/health/ready");
        assertThat(list(hub.get("ports")).stream().map(port -> map(port).get("name")).toList()).containsExactly("http", "https", "hazelcast");

        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Object variable : list(hub.get("env"))) {
            env.put((String) map(variable).get("name"), map(variable));
        }
        Set<String> hubVariables = new TreeSet<>(HubOptions.ALL.stream().map(ConfigOption::environmentVariable).toList());
        assertThat(env.keySet()).allSatisfy(name -> assertThat(hubVariables.contains(name) || LAUNCHER_VARIABLES.contains(name))
                .as("'%s' is a hub option's environment variable or one of bin/runlight's", name)
                .isTrue());
        assertThat(env.get("RUNLIGHT_HTTP_ADDRESS")).containsEntry("value", "0.0.0.0");
        assertThat(env.get("RUNLIGHT_CLUSTER_ADDRESS")).containsEntry("valueFrom", Map.of("fieldRef", Map.of("fieldPath", "status.podIP")));
        assertThat(env).containsKeys("RUNLIGHT_CLUSTER_JOIN", "RUNLIGHT_CLUSTER_KUBERNETES_SERVICE", "RUNLIGHT_DATA_DIR", "RUNLIGHT_PLUGINS_DIR");
        for (String secretVariable : List.of("RUNLIGHT_DATABASE_URL", "RUNLIGHT_DATABASE_USER", "RUNLIGHT_DATABASE_PASSWORD", "RUNLIGHT_SECRETS_KEY")) {
            assertThat(map(map(env.get(secretVariable).get("valueFrom")).get("secretKeyRef"))).containsEntry("name", PLACEHOLDER);
        }

        Map<String, String> mounts = new TreeMap<>();
        for (Object mount : list(hub.get("volumeMounts"))) {
            mounts.put((String) map(mount).get("name"), (String) map(mount).get("mountPath"));
        }
        assertThat(mounts).containsEntry("data", env.get("RUNLIGHT_DATA_DIR").get("value").toString())
                .containsEntry("plugins", env.get("RUNLIGHT_PLUGINS_DIR").get("value").toString())
                .containsEntry("tls", "/etc/runlight/tls")
                .containsEntry("signing-key", "/var/lib/runlight/keys")
                .containsEntry("tmp", "/tmp")
                .containsEntry("config", "/etc/runlight/config");
        assertThat(env.get("RUNLIGHT_HTTPS_CERT")).containsEntry("value", "/etc/runlight/tls/tls.crt");
        assertThat(env.get("RUNLIGHT_HTTPS_KEY")).containsEntry("value", "/etc/runlight/tls/tls.key");

        Map<String, Map<String, Object>> initContainers = containers(podSpec.get("initContainers"));
        assertThat(initContainers.keySet()).containsExactly("bundled-plugins", "plugin-" + PLACEHOLDER);
        assertThat(list(initContainers.get("bundled-plugins").get("command")).get(2).toString()).endsWith("cp /opt/runlight/plugins/*.jar /runlight-plugins/");
        assertThat(list(map(statefulSet.get("spec")).get("volumeClaimTemplates"))).hasSize(1);

        String text = Files.readString(chart.resolve("templates/statefulset.yaml"));
        assertThat(text).contains("replicas: {{ .Values.replicaCount }}",
                "{{- toYaml .Values.resources | nindent 12 }}",
                "{{- toYaml .Values.securityContext | nindent 12 }}",
                "{{- toYaml .Values.podSecurityContext | nindent 8 }}",
                "secretName: {{ .Values.tls.secretName }}",
                "name: {{ .Values.database.existingSecret }}",
                "claimName: {{ .Values.plugins.existingClaim }}",
                "secretName: {{ .Values.auth.signingKeySecret }}",
                "storage: {{ .Values.persistence.size | quote }}");
        assertThat(Files.readString(chart.resolve("templates/_helpers.tpl")))
                .contains("{{- if .Values.database.existingSecret }}kubernetes{{ else }}none{{ end }}");
        assertThat(Files.readString(chart.resolve("templates/configmap.yaml"))).contains("{{- toYaml . | nindent 4 }}", "{{- with .Values.config }}");
    }

    @Test
    void agentDaemonSetSeesTheHostsProcessesReadOnlyWithTwoCapabilities()
            throws IOException
    {
        Map<String, Object> daemonSet = single(chart.resolve("templates/agent-daemonset.yaml"));
        Map<String, Object> podSpec = map(map(map(daemonSet.get("spec")).get("template")).get("spec"));
        Map<String, Object> agent = containers(podSpec.get("containers")).get("agent");

        assertThat(podSpec).containsEntry("hostPID", true).containsEntry("automountServiceAccountToken", true).doesNotContainKey("hostNetwork");
        assertThat(agent.get("command")).isEqualTo(List.of("/opt/runlight/bin/runlight"));
        assertThat(agent.get("args")).isEqualTo(List.of("agent"));
        Map<String, Object> security = map(agent.get("securityContext"));
        assertThat(security).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false).containsEntry("privileged", false);
        assertThat(map(security.get("capabilities"))).isEqualTo(Map.of("drop", List.of("ALL"), "add", List.of("SYS_PTRACE", "DAC_READ_SEARCH")));
        Map<String, Map<String, Object>> mounts = new TreeMap<>();
        for (Object mount : list(agent.get("volumeMounts"))) {
            mounts.put((String) map(mount).get("name"), map(mount));
        }
        assertThat(mounts.get("host-proc")).containsEntry("mountPath", "/host/proc").containsEntry("readOnly", true);
        assertThat(mounts.get("host-root")).containsEntry("mountPath", "/host").containsEntry("readOnly", true);
        Map<String, Object> env = new TreeMap<>();
        for (Object variable : list(agent.get("env"))) {
            env.put((String) map(variable).get("name"), map(variable).containsKey("value") ? map(variable).get("value") : map(variable).get("valueFrom"));
        }
        // every agent setting the chart passes is one the agent reads (AgentSettingsLoader's keys)
        assertThat(env).containsEntry("RUNLIGHT_AGENT_PROC", "/host/proc").containsEntry("RUNLIGHT_AGENT_HOST_ROOT", "/host")
                .containsEntry("RUNLIGHT_AGENT_KUBERNETES_NODE", "$(NODE_NAME)").containsEntry("RUNLIGHT_AGENT_HOST_NAME", "$(NODE_NAME)")
                .containsEntry("NODE_NAME", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName")))
                .containsKeys("RUNLIGHT_HUB", "RUNLIGHT_TOKEN", "RUNLIGHT_AGENT_INTERVAL", "RUNLIGHT_AGENT_CLUSTER", "RUNLIGHT_AGENT_CATALOG");
        Set<String> agentVariables = new TreeSet<>(io.runlight.agent.AgentSettingsLoader.DEFAULTS.keySet().stream()
                .map(io.runlight.agent.AgentSettingsLoader::environmentVariable).toList());
        assertThat(env.keySet().stream().filter(name -> name.startsWith("RUNLIGHT_AGENT_"))).allSatisfy(name -> assertThat(agentVariables).contains(name));

        List<Object> rbac = parseTemplate(chart.resolve("templates/agent-rbac.yaml"));
        Map<String, Object> clusterRole = map(rbac.get(1));
        assertThat(list(clusterRole.get("rules"))).containsExactly(
                Map.of("apiGroups", List.of(""), "resources", List.of("pods"), "verbs", List.of("get", "list", "watch")),
                Map.of("apiGroups", List.of("apps"), "resources", List.of("replicasets"), "verbs", List.of("get")),
                Map.of("apiGroups", List.of("batch"), "resources", List.of("jobs"), "verbs", List.of("get")));
        Map<String, Object> values = map(values().get("agent"));
        assertThat(values).containsEntry("enabled", false).containsEntry("interval", "30s").containsEntry("tokenSecret", "runlight-agent-token");
        assertThat(Files.readString(chart.resolve("templates/agent-daemonset.yaml"))).contains("{{- if .Values.agent.enabled }}", "hostPID: true",
                "name: {{ .Values.agent.tokenSecret }}");
    }

    @Test
    void defaultsRunAsNonRootOnAReadOnlyRootFileSystem()
    {
        Map<String, Object> values = values();

        assertThat(values).containsEntry("replicaCount", 1);
        assertThat(map(values.get("podSecurityContext"))).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 65532).containsEntry("fsGroup", 65532);
        assertThat(map(values.get("securityContext"))).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat(map(values.get("resources"))).containsKeys("requests", "limits");
        assertThat(map(values.get("database"))).containsEntry("existingSecret", "");
        assertThat(map(values.get("tls"))).containsEntry("secretName", "");
        assertThat(map(values.get("rbac"))).containsEntry("create", false);
        assertThat(map(values.get("serviceAccount"))).containsEntry("automountToken", false);
        assertThat(values.get("config")).isEqualTo(Map.of());
    }

    @Test
    void templatesAndValuesAgreeOnEveryValuesPath()
            throws IOException
    {
        Set<String> referenced = new TreeSet<>();
        try (Stream<Path> files = Files.list(chart.resolve("templates"))) {
            for (Path file : files.sorted().toList()) {
                Matcher matcher = VALUES_PATH.matcher(Files.readString(file));
                while (matcher.find()) {
                    referenced.add(matcher.group(1).substring(1));
                }
            }
        }
        Map<String, Object> values = values();

        assertThat(referenced).contains("replicaCount", "database.existingSecret", "tls.secretName", "resources", "plugins.existingClaim",
                "plugins.images", "auth.signingKeySecret", "persistence.enabled", "securityContext", "podSecurityContext", "config");
        assertThat(referenced).allSatisfy(path -> assertThat(exists(values, path))
                .as("'.Values.%s' is referenced by a template but missing from values.yaml", path)
                .isTrue());
        // and the other way round: no value that no template reads
        assertThat(leafPaths("", values)).allSatisfy(leaf -> assertThat(referenced.stream().anyMatch(path -> leaf.equals(path) || leaf.startsWith(path + ".")))
                .as("values.yaml's '%s' is read by no template", leaf)
                .isTrue());
    }

    /** The YAML templates with their template expressions replaced as the class comment says. */
    private List<Path> yamlTemplates()
            throws IOException
    {
        try (Stream<Path> files = Files.list(chart.resolve("templates"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<Object> parseTemplate(Path template)
            throws IOException
    {
        String text = withoutActions(Files.readString(template, StandardCharsets.UTF_8));
        if (text.contains("{{") || text.contains("}}")) {
            fail("template '" + template + "' has a template action this test cannot replace (spanning lines?):\n" + text);
        }
        List<Object> documents = new ArrayList<>();
        try {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
                if (document != null) {
                    documents.add(document);
                }
            }
        }
        catch (YAMLException e) {
            fail("template '" + template + "' is not YAML once its template actions are replaced: " + e.getMessage() + "\n" + text, e);
        }
        return documents;
    }

    static String withoutActions(String template)
    {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            if (ONLY_ACTIONS.matcher(line).matches()) {
                continue;
            }
            out.append(ACTION.matcher(line).replaceAll(PLACEHOLDER)).append('\n');
        }
        return out.toString();
    }

    private Map<String, Object> single(Path template)
            throws IOException
    {
        List<Object> documents = parseTemplate(template);
        assertThat(documents).as("documents in '%s'", template).hasSize(1);
        return map(documents.get(0));
    }

    private Map<String, Object> values()
    {
        return map(parse(chart.resolve("values.yaml")));
    }

    private static Object parse(Path file)
    {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            return new Yaml(new SafeConstructor(options)).load(Files.readString(file, StandardCharsets.UTF_8));
        }
        catch (IOException | YAMLException e) {
            throw new AssertionError("'" + file + "' cannot be read as YAML: " + e.getMessage(), e);
        }
    }

    private static Map<String, Map<String, Object>> containers(Object containers)
    {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Object container : list(containers)) {
            byName.put((String) map(container).get("name"), map(container));
        }
        return byName;
    }

    private static boolean exists(Map<String, Object> values, String path)
    {
        Object current = values;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return false;
            }
            current = map.get(part);
        }
        return true;
    }

    /** Dotted paths of the values that are not maps (an empty map counts as a leaf). */
    private static List<String> leafPaths(String prefix, Map<String, Object> values)
    {
        List<String> leaves = new ArrayList<>();
        values.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
                leaves.addAll(leafPaths(path, map(nested)));
            }
            else {
                leaves.add(path);
            }
        });
        return leaves;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value)
    {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value)
    {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static String version()
    {
        return Distribution.name().substring("runlight-".length());
    }
}
