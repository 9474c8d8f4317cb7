package io.runlight.hub.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import io.runlight.hub.client.HubApiClient;
import io.runlight.hub.token.TokenExpiry;
import io.runlight.hub.token.TokenScope;

/**
 * {@code runlight token create|list|renew|delete}: the hub's opaque tokens from a terminal
 * ({@code /api/v1/tokens}). The secret is printed by {@code create} only, as the hub shows
 * it only then.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = "Create, list, renew and delete the hub's opaque tokens (rlt_…) for integrations and ingest.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Renew.class, TokenCommand.Delete.class})
public final class TokenCommand
        implements Callable<Integer>
{
    /** Said on stderr whenever a secret is printed. */
    static final String SHOWN_ONCE = "runlight: this is the only time the token's secret is shown; store it now, the hub cannot show it again.";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** The fields of a token as the hub returns it (create, renew). */
    static TextTable tokenFields(JsonNode token)
    {
        TextTable table = TextTable.fields()
                .field("id", TextTable.cell(token.path("id")))
                .field("name", TextTable.cell(token.path("name")))
                .field("scope", TextTable.cell(token.path("scope")))
                .field("integration", TextTable.cell(token.path("integrationId")))
                .field("prefix", TextTable.cell(token.path("prefix")));
        if (token.has("createdAt")) {
            table.field("created", TextTable.time(token.path("createdAt")));
        }
        table.field("expires", TextTable.time(token.path("expiresAt")));
        if (token.has("status")) {
            table.field("last used", TextTable.time(token.path("lastUsedAt")))
                    .field("status", TextTable.cell(token.path("status")));
        }
        if (token.has("secret")) {
            table.field("secret", TextTable.cell(token.path("secret")));
        }
        return table;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = {"Create a token and print its secret, once.",
                    "Scope integration (with --integration) replaces that integration's token; scope ingest opens the ingest endpoints."})
    static final class Create
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Option(names = "--name", required = true, paramLabel = "N", description = "What the token is for, shown in lists.")
        private String name;

        @Option(names = "--expires-in", required = true, paramLabel = "P1M|P3M|P6M|P1Y", converter = ExpiryConverter.class,
                description = "How long the token is valid: 1, 3 or 6 months or 1 year.")
        private TokenExpiry expiresIn;

        @Option(names = "--scope", paramLabel = "integration|ingest", converter = ScopeConverter.class,
                description = "What the token opens (default: integration with --integration, else ingest).")
        private TokenScope scope;

        @Option(names = "--integration", paramLabel = "ID", description = "The integration the token is for (scope integration).")
        private String integrationId;

        @Override
        public Integer call()
        {
            if (name.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--name is empty: say what the token is for.");
            }
            HubApiClient client = hub.client(spec);
            ObjectNode body = JsonNodeFactory.instance.objectNode()
                    .put("name", name)
                    .put("expiresIn", expiresIn.period());
            if (scope != null) {
                body.put("scope", scope.wireName());
            }
            if (integrationId != null) {
                body.put("integrationId", integrationId);
            }
            JsonNode created = client.post("/api/v1/tokens", body);
            hub.output(spec).print(created, () -> tokenFields(created));
            spec.commandLine().getErr().println(SHOWN_ONCE);
            spec.commandLine().getErr().flush();
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "List the tokens (never their secrets), oldest first.")
    static final class ListTokens
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Override
        public Integer call()
        {
            JsonNode tokens = hub.client(spec).get("/api/v1/tokens");
            hub.output(spec).printList(tokens, "No tokens.", () -> {
                TextTable table = TextTable.withHeaders("ID", "NAME", "SCOPE", "INTEGRATION", "PREFIX", "CREATED", "EXPIRES", "LAST USED", "STATUS");
                for (JsonNode token : tokens) {
                    table.row(TextTable.cell(token.path("id")), TextTable.cell(token.path("name")), TextTable.cell(token.path("scope")),
                            TextTable.cell(token.path("integrationId")), TextTable.cell(token.path("prefix")), TextTable.time(token.path("createdAt")),
                            TextTable.time(token.path("expiresAt")), TextTable.time(token.path("lastUsedAt")), TextTable.cell(token.path("status")));
                }
                return table;
            });
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "Give a token a new expiry, counted from now; its secret stays the same.")
    static final class Renew
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Parameters(index = "0", paramLabel = "ID", description = "The token's id (see `runlight token list`).")
        private String id;

        @Option(names = "--expires-in", required = true, paramLabel = "P1M|P3M|P6M|P1Y", converter = ExpiryConverter.class,
                description = "The new validity from now: 1, 3 or 6 months or 1 year.")
        private TokenExpiry expiresIn;

        @Override
        public Integer call()
        {
            JsonNode renewed = hub.client(spec).post("/api/v1/tokens/" + HubApiClient.segment(id) + "/renew",
                    JsonNodeFactory.instance.objectNode().put("expiresIn", expiresIn.period()));
            hub.output(spec).print(renewed, () -> tokenFields(renewed));
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = {"Revoke a token at once, on every member of the hub.",
                    "An integration's token deleted severs that integration until it gets a new one."})
    static final class Delete
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HubCommandOptions hub;

        @Parameters(index = "0", paramLabel = "ID", description = "The token's id (see `runlight token list`).")
        private String id;

        @Override
        public Integer call()
        {
            hub.client(spec).delete("/api/v1/tokens/" + HubApiClient.segment(id));
            hub.output(spec).message("Deleted token '" + id + "'.");
            return CommandLine.ExitCode.OK;
        }
    }

    /** {@code P1M}, {@code P3M}, {@code P6M} or {@code P1Y}. */
    static final class ExpiryConverter
            implements ITypeConverter<TokenExpiry>
    {
        @Override
        public TokenExpiry convert(String value)
        {
            try {
                return TokenExpiry.parse(value);
            }
            catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code integration} or {@code ingest}. */
    static final class ScopeConverter
            implements ITypeConverter<TokenScope>
    {
        @Override
        public TokenScope convert(String value)
        {
            try {
                return TokenScope.fromWireName(value);
            }
            catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
