package io.runlight.hub.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.runlight.agent.Agent;
import io.runlight.agent.AgentSettings;
import io.runlight.agent.AgentSettingsException;
import io.runlight.agent.AgentSettingsLoader;
import io.runlight.agent.attribution.AttributionSources;
import io.runlight.agent.attribution.ContainerAttribution;
import io.runlight.agent.attribution.HostIdentity;
import io.runlight.agent.catalog.ImageCatalogs;
import io.runlight.agent.delivery.HubConnection;
import io.runlight.agent.delivery.ObservationBuffer;
import io.runlight.agent.proc.ProcSampler;
import io.runlight.hub.RunlightVersion;
import io.runlight.hub.config.ValueParsers;
import io.runlight.insights.catalog.CatalogLimits;
import io.runlight.insights.catalog.Cataloger;
import io.runlight.insights.catalog.CycloneDxCatalogWriter;
import io.runlight.insights.input.InputLimits;

/**
 * {@code runlight agent}: the node agent. Samples every process of {@code /proc} every interval,
 * names each one's container and image, sends what it saw to the hub with an ingest token, and
 * catalogs the images the hub has no SBOM of. {@code --once} runs one round and exits: 0 when the
 * hub took everything, 1 when it did not.
 */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = {
                "Run the node agent: sample /proc (executables, mapped files, open files) of every process, attribute each to its container "
                        + "(Kubernetes API, Docker Engine) or the host, send what runs to the hub and catalog the images the hub has no SBOM of.",
                "Needs no kernel module and no eBPF. Sampling sees what is loaded at each sample: it proves use, never non-use (docs/integrations/agent.md)."},
        footer = {
                "",
                "Settings come from --config FILE (YAML), then RUNLIGHT_AGENT_* variables (RUNLIGHT_AGENT_INTERVAL for interval), then flags.",
                "",
                "Examples:",
                "  runlight agent --hub https://runlight:8443 --token \"$RUNLIGHT_TOKEN\" --cluster prod-eu",
                "  runlight agent --once --hub https://127.0.0.1:8443 --docker-socket /var/run/docker.sock"})
public final class AgentCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private HubCommandOptions hub;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML file of agent settings (interval, cluster, host.name, host.root, host.exclude, ...).")
    private Path config;

    @Option(names = "--interval", paramLabel = "DURATION", description = "How often every process is sampled (default 30s).")
    private String interval;

    @Option(names = "--cluster", paramLabel = "NAME", description = "The cluster name every event carries.")
    private String cluster;

    @Option(names = "--once", description = "Run one round (sample, send, catalog) and exit: 0 when the hub took everything, 1 when it did not.")
    private boolean once;

    @Option(names = "--host-name", paramLabel = "NAME", description = "The name host processes are reported under (default: this machine's name).")
    private String hostName;

    @Option(names = "--host-root", paramLabel = "DIR", description = "Where the host's file system is, cataloged as the host's image (default /; the hostPath mount in a container).")
    private String hostRoot;

    @Option(names = "--proc", paramLabel = "DIR", description = "The host's /proc (default /proc).")
    private String proc;

    @Option(names = "--docker-socket", paramLabel = "FILE", description = "A Docker Engine's unix socket, to name plain Docker containers and their images.")
    private String dockerSocket;

    @Option(names = "--kubernetes-node", paramLabel = "NAME", description = "This node's name: the agent watches its pods through the Kubernetes API (in-cluster credentials).")
    private String kubernetesNode;

    @Option(names = "--no-catalog", description = "Do not catalog images the hub has no SBOM of.")
    private boolean noCatalog;

    @Override
    public Integer call()
            throws InterruptedException
    {
        AgentSettings settings = settings();
        HubConnection connection = hub.agentConnection(spec);
        CommandOutput output = hub.output(spec);
        Clock clock = Clock.systemUTC();
        HostIdentity host = HostIdentity.of(settings.hostName(), settings.hostRoot());
        ProcSampler sampler = new ProcSampler(settings.proc(), InputLimits.DEFAULT, Set.of(ProcessHandle.current().pid()));
        Optional<ImageCatalogs> catalogs = settings.catalog()
                ? Optional.of(new ImageCatalogs(connection, new Cataloger(CatalogLimits.DEFAULT, Optional.empty()),
                        new CycloneDxCatalogWriter(RunlightVersion.current()), Duration.ofMinutes(10)))
                : Optional.empty();
        List<ContainerAttribution> attributions = AttributionSources.open(settings.dockerSocket(), settings.kubernetesNode(), clock);
        try {
            Agent agent = new Agent(settings, sampler, attributions, host, new ObservationBuffer(settings.bufferCapacity(), settings.refreshAfter()),
                    connection, catalogs, clock);
            if (!once) {
                agent.run();
                return CommandLine.ExitCode.OK;
            }
            Agent.Round round = agent.runOnce();
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("time", round.time().toString());
            json.put("processes", round.processes());
            json.put("unreadableProcesses", round.unreadable());
            json.put("workloads", round.containers());
            json.put("unattributedContainers", round.unattributed());
            json.put("sent", round.sent());
            json.put("pending", round.pending());
            json.put("hubReachable", round.hubReachable());
            round.cataloged().forEach(outcome -> json.withArray("images").addObject()
                    .put("digest", outcome.digest()).put("result", outcome.result().name()).put("packages", outcome.packages())
                    .put("problem", outcome.problem()));
            output.print(json, () -> summary(round, host));
            return round.hubReachable() && round.pending() == 0 ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
        }
        finally {
            attributions.forEach(ContainerAttribution::close);
        }
    }

    private AgentSettings settings()
    {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, AgentSettingsLoader.INTERVAL, interval);
        put(flags, AgentSettingsLoader.CLUSTER, cluster);
        put(flags, AgentSettingsLoader.HOST_NAME, hostName);
        put(flags, AgentSettingsLoader.HOST_ROOT, hostRoot);
        put(flags, AgentSettingsLoader.PROC, proc);
        put(flags, AgentSettingsLoader.DOCKER_SOCKET, dockerSocket);
        put(flags, AgentSettingsLoader.KUBERNETES_NODE, kubernetesNode);
        if (noCatalog) {
            flags.put(AgentSettingsLoader.CATALOG, "false");
        }
        try {
            return new AgentSettingsLoader(System.getenv(), ValueParsers::duration).load(Optional.ofNullable(config), flags);
        }
        catch (AgentSettingsException e) {
            throw new ParameterException(spec.commandLine(), "Invalid agent settings:\n  " + String.join("\n  ", e.problems()));
        }
    }

    private static void put(Map<String, String> flags, String key, String value)
    {
        if (value != null) {
            flags.put(key, value);
        }
    }

    private static TextTable summary(Agent.Round round, HostIdentity host)
    {
        TextTable table = TextTable.fields()
                .field("processes", Integer.toString(round.processes()))
                .field("workloads", Integer.toString(round.containers()))
                .field("unattributed containers", Integer.toString(round.unattributed()))
                .field("sent", Integer.toString(round.sent()))
                .field("waiting", Integer.toString(round.pending()))
                .field("hub", round.hubReachable() ? "reachable" : "away")
                .field("host image", host.image() + " " + host.digest().value());
        round.cataloged().forEach(outcome -> table.field("image " + outcome.digest(), outcome.result().name().toLowerCase(java.util.Locale.ROOT)
                + (outcome.packages() > 0 ? " (" + outcome.packages() + " packages)" : "") + (outcome.problem().isEmpty() ? "" : ": " + outcome.problem())));
        return table;
    }
}
