package io.runlight.hub.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code runlight plugin list}: the jars of the hub's plugins folder, loaded, refused or
 * failed with the reason, and the connectors each provides ({@code GET /api/v1/plugins}).
 */
@Command(
        name = "plugin",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = "See the connector plugins the hub has found in its plugins folder.",
        subcommands = PluginCommand.ListPlugins.class)
public final class PluginCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** "echo: PUSH, SERVE; other: PUSH" */
    static String connectors(JsonNode plugin)
    {
        List<String> connectors = new ArrayList<>();
        for (JsonNode connector : plugin.path("connectors")) {
            List<String> capabilities = new ArrayList<>();
            connector.path("capabilities").forEach(capability -> capabilities.add(capability.asText()));
            connectors.add(connector.path("id").asText() + (capabilities.isEmpty() ? "" : ": " + String.join(", ", capabilities)));
        }
        return connectors.isEmpty() ? TextTable.NONE : String.join("; ", connectors);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = {"List the plugins: id, version, state (and why it is not started), connectors and their capabilities.",
                    "--output json adds each connector's configuration properties."})
    static final class ListPlugins
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Override
        public Integer call()
        {
            JsonNode plugins = hub.client(spec).get("/api/v1/plugins");
            hub.output(spec).printList(plugins, "No plugins: put connector plugin jars in the hub's plugins folder.", () -> {
                TextTable table = TextTable.withHeaders("ID", "VERSION", "STATE", "CONNECTORS", "JAR", "ERROR");
                for (JsonNode plugin : plugins) {
                    table.row(TextTable.cell(plugin.path("id")), TextTable.cell(plugin.path("version")), TextTable.cell(plugin.path("state")),
                            connectors(plugin), TextTable.cell(plugin.path("jar")), TextTable.cell(plugin.path("error")));
                }
                return table;
            });
            return CommandLine.ExitCode.OK;
        }
    }
}
