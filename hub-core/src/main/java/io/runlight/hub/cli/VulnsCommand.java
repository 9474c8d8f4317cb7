package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import io.runlight.hub.client.FleetSummaryLine;
import io.runlight.hub.client.HubApiClient;

/**
 * {@code runlight vulns}: the fleet-wide vulnerability list ({@code GET /api/v1/vulnerabilities}),
 * every page of it, as a table with an honest summary line, as JSON, or as CSV.
 */
@Command(
        name = "vulns",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = {"List the vulnerabilities of every image the hub knows, one row per id, most pressing first:",
                "in use if any image runs it in a loaded package, not in use only when every affected image's verdict is final,",
                "unknown otherwise. --output csv writes a spreadsheet; --output json the hub's answer (every page in one document)."},
        footer = {"", "Examples:",
                "  runlight vulns --usage in-use",
                "  runlight vulns --cluster prod-eu --severity high --output csv > prod-eu.csv"})
public final class VulnsCommand
        implements Callable<Integer>
{
    private static final int PAGE = 1000;
    private static final String[] CSV_HEADERS = {"id", "severity", "cvss", "epss", "knownExploited", "fixAvailable", "fixedIn", "usage", "images", "workloads",
            "workloadsInUse", "clusters", "packages", "inUseBy"};

    @Spec
    private CommandSpec spec;

    @Mixin
    private HubCommandOptions hub;

    @Option(names = "--usage", paramLabel = "in-use|not-in-use|unknown", converter = UsageConverter.class,
            description = "Only vulnerabilities with this fleet-wide verdict.")
    private String usage;

    @Option(names = "--severity", paramLabel = "LEVEL", description = "Only vulnerabilities at least this severe: critical, high, medium, low.")
    private String severity;

    @Option(names = "--cluster", paramLabel = "C", description = "Only containers of this cluster count (and the images they run).")
    private String cluster;

    @Option(names = "--namespace", paramLabel = "N", description = "Only containers of this namespace count (and the images they run).")
    private String namespace;

    @Option(names = "--image", paramLabel = "REF", description = "Only this image: a digest, or a name such as alpine:3.17.2.")
    private String image;

    @Option(names = "--package", paramLabel = "P", description = "Only these packages: a name (libcrypto3) or the start of a purl.")
    private String pkg;

    @Option(names = "--exploited", description = "Only vulnerabilities known to be exploited.")
    private boolean exploited;

    @Option(names = "--fixable", description = "Only vulnerabilities with a known fix.")
    private boolean fixable;

    @Override
    public Integer call()
    {
        OutputFormat format = hub.outputAllowingCsv();
        HubApiClient client = hub.client(spec);
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        JsonNode summary = JsonNodeFactory.instance.objectNode();
        Optional<String> cursor = Optional.empty();
        do {
            JsonNode page = client.get(path(cursor));
            page.path("vulnerabilities").forEach(rows::add);
            summary = page.path("summary");
            cursor = Optional.ofNullable(page.path("page").path("next").textValue());
        }
        while (cursor.isPresent());

        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case JSON -> {
                ObjectNode document = JsonNodeFactory.instance.objectNode();
                document.set("vulnerabilities", rows);
                document.set("summary", summary);
                new CommandOutput(out, OutputFormat.JSON).json(document);
            }
            case CSV -> {
                out.print(csvLine(List.of(CSV_HEADERS)));
                for (JsonNode row : rows) {
                    out.print(csvLine(csvCells(row)));
                }
                out.flush();
            }
            case TABLE -> {
                if (rows.isEmpty()) {
                    out.println("No vulnerabilities match: post scan reports with `runlight ingest vulns`, or loosen the filters.");
                }
                else {
                    table(rows).print(out);
                    out.println();
                }
                // the summary counts every verdict the other filters select, so with --usage it says what the list leaves out
                out.println(FleetSummaryLine.of(usage == null ? "" : "Without --usage: ", summary));
                out.flush();
            }
        }
        return CommandLine.ExitCode.OK;
    }

    private String path(Optional<String> cursor)
    {
        StringBuilder path = new StringBuilder("/api/v1/vulnerabilities?limit=").append(PAGE);
        parameter(path, "usage", usage);
        parameter(path, "severity", severity);
        parameter(path, "cluster", cluster);
        parameter(path, "namespace", namespace);
        parameter(path, "image", image);
        parameter(path, "package", pkg);
        if (exploited) {
            path.append("&exploited=true");
        }
        if (fixable) {
            path.append("&fixable=true");
        }
        cursor.ifPresent(next -> parameter(path, "cursor", next));
        return path.toString();
    }

    private static void parameter(StringBuilder path, String name, String value)
    {
        if (value != null) {
            path.append('&').append(name).append('=').append(HubApiClient.segment(value));
        }
    }

    private static TextTable table(JsonNode rows)
    {
        TextTable table = TextTable.withHeaders("ID", "SEVERITY", "CVSS", "EPSS", "EXPLOITED", "FIX", "USAGE", "IMAGES", "WORKLOADS IN USE/ALL", "CLUSTERS", "PACKAGES");
        for (JsonNode row : rows) {
            table.row(TextTable.cell(row.path("id")), TextTable.cell(row.path("severity")), TextTable.cell(row.path("cvss")), TextTable.cell(row.path("epss")),
                    row.path("knownExploited").asBoolean() ? "yes" : "no", row.path("fixAvailable").asBoolean() ? "yes" : "no",
                    usageWord(row.path("usage").asText()), TextTable.cell(row.path("images")),
                    row.path("workloadsInUse").asInt() + " / " + row.path("workloads").asInt(), TextTable.cell(row.path("clusters")), packages(row, false));
        }
        return table;
    }

    /** "libcrypto3 3.0.8-r0 (in use), libssl3 3.0.8-r0 (not in use)", or purls for CSV. */
    private static String packages(JsonNode row, boolean purls)
    {
        List<String> packages = new ArrayList<>();
        for (JsonNode pkg : row.path("packages")) {
            String name = purls ? pkg.path("purl").asText() : (pkg.path("name").asText() + " " + pkg.path("version").asText()).strip();
            packages.add(name + " (" + usageWord(pkg.path("usage").asText()) + ")");
        }
        return packages.isEmpty() ? TextTable.NONE : String.join(", ", packages);
    }

    private static List<String> csvCells(JsonNode row)
    {
        List<String> fixedIn = new ArrayList<>();
        row.path("fixedIn").forEach(version -> fixedIn.add(version.asText()));
        List<String> inUseBy = new ArrayList<>();
        for (JsonNode workload : row.path("inUseBy")) {
            inUseBy.add(String.join("/", workload.path("cluster").asText(), workload.path("namespace").asText(), workload.path("kind").asText(),
                    workload.path("name").asText(), workload.path("container").asText()));
        }
        return List.of(row.path("id").asText(), row.path("severity").asText(), row.path("cvss").asText(""), row.path("epss").asText(""),
                row.path("knownExploited").asText(), row.path("fixAvailable").asText(), String.join(" ", fixedIn), row.path("usage").asText(),
                row.path("images").asText(), row.path("workloads").asText(), row.path("workloadsInUse").asText(), row.path("clusters").asText(),
                packages(row, true), String.join(" ", inUseBy));
    }

    /** One CSV record (RFC 4180): a field with a comma, quote or line break is quoted, quotes doubled; CRLF ends it. */
    static String csvLine(List<String> cells)
    {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String cell = cells.get(i);
            // a leading =, +, - or @ would be a formula in a spreadsheet: quote it with a leading apostrophe
            if (!cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0) {
                cell = "'" + cell;
            }
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
                line.append('"').append(cell.replace("\"", "\"\"")).append('"');
            }
            else {
                line.append(cell);
            }
        }
        return line.append("\r\n").toString();
    }

    private static String usageWord(String usage)
    {
        return usage.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** {@code in-use}, {@code not-in-use}, {@code unknown} (or the API's {@code IN_USE} spelling) as the API's value. */
    static final class UsageConverter
            implements ITypeConverter<String>
    {
        @Override
        public String convert(String value)
        {
            String normalised = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            return switch (normalised) {
                case "IN_USE", "NOT_IN_USE", "UNKNOWN" -> normalised;
                default -> throw new TypeConversionException("usage '" + value + "' is not a verdict: use in-use, not-in-use or unknown");
            };
        }
    }
}
