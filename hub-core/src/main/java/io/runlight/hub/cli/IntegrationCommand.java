package io.runlight.hub.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.runlight.hub.client.HubApiClient;
import io.runlight.hub.token.TokenExpiry;

/**
 * {@code runlight integration create|list|show|delete|pause|resume|test}: the hub's
 * integrations from a terminal ({@code /api/v1/integrations}). Configuration comes back with
 * secrets masked; the integration token's secret is printed by {@code create} only.
 */
@Command(
        name = "integration",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = "Create, inspect, pause, resume, test and delete integrations (one connector plugin configured for one third party).",
        subcommands = {
                IntegrationCommand.Create.class,
                IntegrationCommand.ListIntegrations.class,
                IntegrationCommand.Show.class,
                IntegrationCommand.Delete.class,
                IntegrationCommand.Pause.class,
                IntegrationCommand.Resume.class,
                IntegrationCommand.Test.class})
public final class IntegrationCommand
        implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    static String path(String id)
    {
        return "/api/v1/integrations/" + HubApiClient.segment(id);
    }

    /** Every field of an integration as the hub returns it, configuration last. */
    static TextTable integrationFields(JsonNode integration)
    {
        TextTable table = TextTable.fields()
                .field("id", TextTable.cell(integration.path("id")))
                .field("name", TextTable.cell(integration.path("name")))
                .field("plugin", TextTable.cell(integration.path("plugin")))
                .field("connector", TextTable.cell(integration.path("connector")))
                .field("state", TextTable.cell(integration.path("state")));
        if (integration.has("reason")) {
            table.field("reason", TextTable.cell(integration.path("reason")));
        }
        table.field("created", TextTable.time(integration.path("createdAt")))
                .field("last success", TextTable.time(integration.path("lastSuccessAt")))
                .field("last error at", TextTable.time(integration.path("lastErrorAt")))
                .field("last error", TextTable.cell(integration.path("lastError")))
                .field("pending deliveries", TextTable.cell(integration.path("deliveries").path("pending")))
                .field("dead deliveries", TextTable.cell(integration.path("deliveries").path("dead")))
                .field("circuit", TextTable.cell(integration.path("deliveries").path("circuitState")));
        JsonNode token = integration.path("token");
        table.field("token", TextTable.cell(token.path("id")));
        if (token.has("prefix")) {
            table.field("token prefix", TextTable.cell(token.path("prefix")));
        }
        if (token.has("expiresAt")) {
            table.field("token expires", TextTable.time(token.path("expiresAt")));
        }
        if (token.has("status")) {
            table.field("token status", TextTable.cell(token.path("status")));
        }
        if (token.has("secret")) {
            table.field("token secret", TextTable.cell(token.path("secret")));
        }
        Iterator<Map.Entry<String, JsonNode>> config = integration.path("config").fields();
        while (config.hasNext()) {
            Map.Entry<String, JsonNode> entry = config.next();
            table.field("config." + entry.getKey(), TextTable.cell(entry.getValue()));
        }
        return table;
    }

    /** "Integration 'id' is STATE: reason." */
    static String stateSentence(JsonNode integration)
    {
        String sentence = "Integration '" + TextTable.cell(integration.path("id")) + "' is " + TextTable.cell(integration.path("state"));
        String reason = integration.path("reason").asText("").strip();
        if (reason.endsWith(".")) {
            reason = reason.substring(0, reason.length() - 1);
        }
        return reason.isEmpty() ? sentence + "." : sentence + ": " + reason + ".";
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = {"Create an integration of a loaded connector and print its token's secret, once.",
                    "Configuration: --config-file (a JSON object), then each --config key=value on top.",
                    "`runlight plugin list --output json` shows each connector's configuration properties."})
    static final class Create
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Option(names = "--plugin", required = true, paramLabel = "P", description = "The connector's id, such as snyk or webhook, or the id of a plugin that provides one connector, such as generic-webhook.")
        private String plugin;

        @Option(names = "--name", required = true, paramLabel = "N", description = "What the integration is for, shown in lists.")
        private String name;

        @Option(names = "--expires-in", required = true, paramLabel = "P1M|P3M|P6M|P1Y", converter = TokenCommand.ExpiryConverter.class,
                description = "How long the integration's token is valid: 1, 3 or 6 months or 1 year.")
        private TokenExpiry expiresIn;

        @Option(names = "--config", paramLabel = "KEY=VALUE", mapFallbackValue = "",
                description = "A configuration property, as a string (repeat for more); the hub converts it to the property's type.")
        private Map<String, String> config = new LinkedHashMap<>();

        @Option(names = "--config-file", paramLabel = "FILE.json", description = "A JSON object of configuration properties, for lists and maps.")
        private Path configFile;

        @Override
        public Integer call()
        {
            ObjectNode configuration = configFile == null ? JsonNodeFactory.instance.objectNode() : readConfigFile();
            config.forEach(configuration::put);
            HubApiClient client = hub.client(spec);
            ObjectNode body = JsonNodeFactory.instance.objectNode()
                    .put("plugin", plugin)
                    .put("name", name)
                    .put("expiresIn", expiresIn.period());
            body.set("config", configuration);
            JsonNode created = client.post("/api/v1/integrations", body);
            hub.output(spec).print(created, () -> integrationFields(created));
            spec.commandLine().getErr().println(TokenCommand.SHOWN_ONCE);
            spec.commandLine().getErr().flush();
            return CommandLine.ExitCode.OK;
        }

        private ObjectNode readConfigFile()
        {
            String text;
            try {
                text = Files.readString(configFile);
            }
            catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--config-file '" + configFile + "' cannot be read: " + e.getMessage() + ".", e, null, null);
            }
            JsonNode json;
            try {
                json = JSON.readTree(text);
            }
            catch (JsonProcessingException e) {
                throw new ParameterException(spec.commandLine(), "--config-file '" + configFile + "' is not JSON: " + e.getOriginalMessage() + ".", e, null, null);
            }
            if (json == null || !json.isObject()) {
                throw new ParameterException(spec.commandLine(), "--config-file '" + configFile + "' must hold a JSON object of configuration properties.");
            }
            return (ObjectNode) json;
        }
    }

    // pause and resume answer the same way: the integration after the change
    private static int changeState(HubCommandOptions hub, CommandSpec spec, String id, String action)
    {
        JsonNode changed = hub.client(spec).post(path(id) + "/" + action);
        CommandOutput output = hub.output(spec);
        if (output.isJson()) {
            output.json(changed);
        }
        else {
            output.message(stateSentence(changed));
        }
        return CommandLine.ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "List the integrations with their state and deliveries, oldest first.")
    static final class ListIntegrations
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Override
        public Integer call()
        {
            JsonNode integrations = hub.client(spec).get("/api/v1/integrations");
            hub.output(spec).printList(integrations, "No integrations.", () -> {
                TextTable table = TextTable.withHeaders("ID", "NAME", "PLUGIN", "CONNECTOR", "STATE", "PENDING", "DEAD", "LAST SUCCESS", "LAST ERROR", "TOKEN EXPIRES");
                for (JsonNode integration : integrations) {
                    table.row(TextTable.cell(integration.path("id")), TextTable.cell(integration.path("name")), TextTable.cell(integration.path("plugin")),
                            TextTable.cell(integration.path("connector")),
                            TextTable.cell(integration.path("state")), TextTable.cell(integration.path("deliveries").path("pending")),
                            TextTable.cell(integration.path("deliveries").path("dead")), TextTable.time(integration.path("lastSuccessAt")),
                            TextTable.time(integration.path("lastErrorAt")), TextTable.time(integration.path("token").path("expiresAt")));
                }
                return table;
            });
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "Show one integration: state, deliveries, token and configuration (secrets masked).")
    static final class Show
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Parameters(index = "0", paramLabel = "ID", description = "The integration's id (see `runlight integration list`).")
        private String id;

        @Override
        public Integer call()
        {
            JsonNode integration = hub.client(spec).get(path(id));
            hub.output(spec).print(integration, () -> integrationFields(integration));
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "Delete an integration; its token is revoked at once.")
    static final class Delete
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Parameters(index = "0", paramLabel = "ID", description = "The integration's id (see `runlight integration list`).")
        private String id;

        @Override
        public Integer call()
        {
            hub.client(spec).delete(path(id));
            hub.output(spec).message("Deleted integration '" + id + "'; its token is revoked.");
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "Pause an integration: it neither serves nor pushes until resumed; deliveries wait in its outbox.")
    static final class Pause
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Parameters(index = "0", paramLabel = "ID", description = "The integration's id.")
        private String id;

        @Override
        public Integer call()
        {
            return changeState(hub, spec, id, "pause");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "Resume a paused or failed integration.")
    static final class Resume
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Parameters(index = "0", paramLabel = "ID", description = "The integration's id.")
        private String id;

        @Override
        public Integer call()
        {
            return changeState(hub, spec, id, "resume");
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = {"Ask the integration's connector to test its connection to the third party.",
                    "Exits with 1 when the test fails, so scripts can check it."})
    static final class Test
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Parameters(index = "0", paramLabel = "ID", description = "The integration's id.")
        private String id;

        @Override
        public Integer call()
        {
            JsonNode result = hub.client(spec).post(path(id) + "/test");
            boolean ok = result.path("ok").asBoolean(false);
            CommandOutput output = hub.output(spec);
            if (output.isJson()) {
                output.json(result);
            }
            else {
                output.message((ok ? "Connection test passed: " : "Connection test failed: ") + result.path("message").asText());
            }
            return ok ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
        }
    }
}
