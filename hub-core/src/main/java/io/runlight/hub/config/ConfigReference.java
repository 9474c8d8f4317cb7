package io.runlight.hub.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Writes the configuration reference from the option definitions of {@link HubOptions},
 * so the shipped {@code conf/runlight.yaml} and the operator docs cannot drift from what
 * the hub reads. The YAML form lists every setting commented out with its default: as
 * shipped it changes nothing, and uncommenting a line sets exactly that default.
 * <p>
 * The build of the distribution runs {@link #main} to generate {@code conf/runlight.yaml}.
 */
public final class ConfigReference
{
    private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z0-9./][A-Za-z0-9._/:\\-]*");

    private ConfigReference() {}

    /**
     * The command that rewrites {@code docs/configuration.md} from the repository's root folder:
     * building hub-core leaves its classes and its runtime classpath ({@code target/lib}) in
     * {@code hub-core/target}.
     */
    public static final String REGENERATE_DOCS_COMMAND = "mvn -q -B -pl hub-core -am package -DskipTests"
            + " && java -cp 'hub-core/target/classes:hub-core/target/lib/*' io.runlight.hub.config.ConfigReference page docs/configuration.md";

    /**
     * Writes the reference of {@link HubOptions#ALL}: {@code yaml FILE}, {@code markdown FILE}
     * (the table alone) or {@code page FILE} (the whole {@code docs/configuration.md}); the
     * parent folders are created.
     */
    public static void main(String[] args)
            throws IOException
    {
        // no System.exit: the build runs this inside Maven's JVM
        if (args.length != 2 || !List.of("yaml", "markdown", "page").contains(args[0])) {
            throw new IllegalArgumentException("arguments " + List.of(args) + " are not 'yaml FILE', 'markdown FILE' or 'page FILE'");
        }
        Path file = Path.of(args[1]);
        String text = switch (args[0]) {
            case "yaml" -> yaml(HubOptions.ALL);
            case "markdown" -> markdown(HubOptions.ALL);
            default -> page(HubOptions.ALL);
        };
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * A YAML file with every option commented out: sections ({@code http:}) are written
     * once, each option as a {@code # key: default} line under its description and
     * environment variable. Options without a default are written as {@code # key:}.
     */
    public static String yaml(List<ConfigOption> options)
    {
        requireNonNull(options, "options is null");
        StringBuilder out = new StringBuilder();
        out.append("# Runlight hub configuration: every setting, with its default.\n");
        out.append("#\n");
        out.append("# Every setting below is commented out, so this file changes nothing as shipped:\n");
        out.append("# uncomment a line and change its value, then start the hub with\n");
        out.append("#   bin/runlight serve --config conf/runlight.yaml\n");
        out.append("# Precedence, lowest first: these defaults, this file, RUNLIGHT_* environment\n");
        out.append("# variables, command-line flags. Durations are ISO-8601 (PT24H) or short (24h, 14d);\n");
        out.append("# sizes take KiB, MiB or GiB. Generated from the hub's option definitions.\n");

        for (Map.Entry<String, List<ConfigOption>> section : sections(options).entrySet()) {
            String name = section.getKey();
            String indent = name.isEmpty() ? "" : "  ";
            out.append('\n');
            if (!name.isEmpty()) {
                out.append(name).append(":\n");
            }
            boolean first = true;
            for (ConfigOption option : section.getValue()) {
                if (!first) {
                    out.append(indent).append("#\n");
                }
                first = false;
                out.append(indent).append("# ").append(option.description()).append('\n');
                out.append(indent).append("# Environment variable: ").append(option.environmentVariable());
                if (option.secret()) {
                    out.append(" (secret: masked in logs and messages)");
                }
                if (option.defaultValue().isEmpty()) {
                    out.append(" (no default)");
                }
                out.append('\n');
                out.append(indent).append("# ").append(leaf(option)).append(':');
                yamlValue(option).ifPresent(value -> out.append(' ').append(value));
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The configuration reference page of the docs ({@code docs/configuration.md}): how
     * settings are given and in which precedence, the value formats, then the table of
     * {@link #markdown}.
     */
    public static String page(List<ConfigOption> options)
    {
        requireNonNull(options, "options is null");
        return "# Configuration reference\n"
                + "\n"
                + "<!-- Generated from the hub's option definitions (HubOptions) by ConfigReference: do not edit by hand.\n"
                + "     Regenerate from the repository's root folder with:\n"
                + "     " + REGENERATE_DOCS_COMMAND + " -->\n"
                + "\n"
                + "Every setting of `runlight serve`. Each can be given, in increasing precedence:\n"
                + "\n"
                + "1. its default (below);\n"
                + "2. a YAML file passed with `--config FILE`, keys nested by their dots (`http.port: 8080` is\n"
                + "   `http:` then `  port: 8080`). The distribution's `conf/runlight.yaml` lists every setting,\n"
                + "   commented out; an unknown key is refused (with a did-you-mean when one is close);\n"
                + "3. an environment variable: `RUNLIGHT_` and the key in upper case, dots and dashes as\n"
                + "   underscores (`http.port` is `RUNLIGHT_HTTP_PORT`);\n"
                + "4. a flag of `runlight serve`: `--data-dir`, `--address` (`http.address`), `--port`\n"
                + "   (`http.port`), `--tls-port` (`https.port`), `--no-http` (`http.enabled=false`),\n"
                + "   `--cluster-port` (`cluster.port`).\n"
                + "\n"
                + "The hub checks everything at start and reports every problem at once. Durations are ISO-8601\n"
                + "(`PT24H`, `P14D`) or short (`30s`, `15m`, `24h`, `14d`, `2w`); sizes are bytes or take a unit\n"
                + "(`KiB`, `MiB`, `GiB` count in 1024s, `KB`, `MB`, `GB` in 1000s); decimals are plain numbers\n"
                + "(`0.5`, `75`); lists are comma-separated in environment variables and YAML lists in the file.\n"
                + "Secrets are masked in logs and error messages.\n"
                + "\n"
                + markdown(options);
    }

    /** A Markdown table: setting, environment variable, type, default, description. */
    public static String markdown(List<ConfigOption> options)
    {
        requireNonNull(options, "options is null");
        StringBuilder out = new StringBuilder();
        out.append("| Setting | Environment variable | Type | Default | Description |\n");
        out.append("|---|---|---|---|---|\n");
        for (ConfigOption option : options) {
            String defaultValue = option.defaultValue()
                    .map(value -> value.isEmpty() ? "(empty)" : "`" + value + "`")
                    .orElse(option.secret() ? "(none; secret)" : "(none)");
            out.append("| `").append(option.key()).append("` | `").append(option.environmentVariable()).append("` | ")
                    .append(option.type().name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(defaultValue).append(" | ")
                    .append(option.description().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    /** The options grouped by the part of their key before the first dot ("" for top-level keys), in first-seen order. */
    private static Map<String, List<ConfigOption>> sections(List<ConfigOption> options)
    {
        Map<String, List<ConfigOption>> sections = new LinkedHashMap<>();
        for (ConfigOption option : options) {
            int dot = option.key().indexOf('.');
            String section = dot < 0 ? "" : option.key().substring(0, dot);
            sections.computeIfAbsent(section, ignored -> new ArrayList<>()).add(option);
        }
        return sections;
    }

    private static String leaf(ConfigOption option)
    {
        int dot = option.key().indexOf('.');
        return dot < 0 ? option.key() : option.key().substring(dot + 1);
    }

    private static Optional<String> yamlValue(ConfigOption option)
    {
        return option.defaultValue().map(value -> {
            if (option.type() == ConfigOption.OptionType.LIST) {
                List<String> items = new ArrayList<>();
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        items.add(scalar(item.strip()));
                    }
                }
                return "[" + String.join(", ", items) + "]";
            }
            return scalar(value);
        });
    }

    private static String scalar(String value)
    {
        if (PLAIN_SCALAR.matcher(value).matches()) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
