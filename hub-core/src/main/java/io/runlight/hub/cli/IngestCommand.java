package io.runlight.hub.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.runlight.hub.client.HubApiClient;
import io.runlight.hub.client.HubRefusedException;
import io.runlight.insights.sbom.GivenImage;

/**
 * {@code runlight ingest sbom|vulns|events FILE...}: posts each file, streamed, to the hub's
 * ingest endpoint with a fitting content type, and prints what the hub made of each. Files
 * over 1 MiB show their progress on stderr. A file the hub refuses is reported and the
 * others still go; the exit code is then 1.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = "Send SBOMs, scan reports or runtime events to the hub (needs the ingest or admin role).",
        subcommands = {IngestCommand.Sbom.class, IngestCommand.Vulns.class, IngestCommand.Events.class})
public final class IngestCommand
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

    /** What is common to the three kinds of upload. */
    abstract static class Upload
            implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Mixin
        HubCommandOptions hub;

        @Parameters(arity = "0..*", paramLabel = "FILE", description = "The files to send, one request each.")
        List<Path> files = new ArrayList<>();

        /** Whether stderr is a terminal, where a progress bar can be redrawn in place. */
        boolean terminal = System.console() != null;

        abstract String endpoint();

        /** The query parameters of every request, already encoded ({@code ?image=...}), or "". */
        String query()
        {
            return "";
        }

        abstract String contentType(Path file);

        abstract TextTable table();

        abstract void row(TextTable table, String file, JsonNode answer);

        /** Lines printed under the table for one file's answer, such as rejected events. */
        List<String> notes(String file, JsonNode answer)
        {
            return List.of();
        }

        @Override
        public Integer call()
        {
            if (files.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Missing required parameter: 'FILE' (give at least one file to send)");
            }
            for (Path file : files) {
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw new ParameterException(spec.commandLine(), "File '" + file + "' does not exist or cannot be read.");
                }
            }
            HubApiClient client = hub.client(spec);
            CommandOutput output = hub.output(spec);
            PrintWriter err = spec.commandLine().getErr();
            ArrayNode json = JsonNodeFactory.instance.arrayNode();
            TextTable table = table();
            List<String> notes = new ArrayList<>();
            int refused = 0;
            try {
                for (Path file : files) {
                    String name = file.toString();
                    try {
                        JsonNode answer = send(client, file, err);
                        json.addObject().put("file", name).set("response", answer);
                        row(table, name, answer);
                        notes.addAll(notes(name, answer));
                    }
                    catch (HubRefusedException e) {
                        refused++;
                        json.addObject().put("file", name).set("error", e.body());
                        err.println("runlight: '" + name + "': " + e.getMessage());
                        err.flush();
                    }
                }
            }
            finally {
                // what was sent before a failure is still reported
                if (output.isJson()) {
                    output.json(json);
                }
                else if (!table.isEmpty()) {
                    output.print(json, () -> table);
                    notes.forEach(output::message);
                }
            }
            return refused == 0 ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
        }

        private JsonNode send(HubApiClient client, Path file, PrintWriter err)
        {
            long size;
            try {
                size = Files.size(file);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read '" + file + "'", e);
            }
            if (size <= UploadProgress.THRESHOLD_BYTES) {
                return client.upload(endpoint() + query(), file, contentType(file), sent -> {});
            }
            UploadProgress progress = new UploadProgress(err, file.getFileName().toString(), size, terminal);
            try {
                return client.upload(endpoint() + query(), file, contentType(file), progress);
            }
            finally {
                progress.finish();
            }
        }
    }

    /** The content type of an SBOM or report file, by its name (the hub detects the format from the content). */
    static String documentType(Path file)
    {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".cdx.json") || name.contains("cyclonedx")) {
            return "application/vnd.cyclonedx+json";
        }
        if (name.endsWith(".spdx.json")) {
            return "application/spdx+json";
        }
        if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }

    /** {@code --image REF}, checked here so that a typo is reported before anything is sent. */
    static String imageQuery(CommandSpec spec, String image)
    {
        if (image == null) {
            return "";
        }
        try {
            GivenImage.parse(image);
        }
        catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--image': " + e.getMessage());
        }
        return "image=" + URLEncoder.encode(image.strip(), StandardCharsets.UTF_8);
    }

    private static String query(List<String> parameters)
    {
        List<String> given = parameters.stream().filter(parameter -> !parameter.isEmpty()).toList();
        return given.isEmpty() ? "" : "?" + String.join("&", given);
    }

    @Command(name = "sbom", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = {"Send SBOMs (Syft, CycloneDX, SPDX JSON; POST /api/v1/sboms).",
                    "With --rootfs or --archive, Runlight catalogs the image itself (as runlight sbom does) and sends its SBOM."})
    static final class Sbom
            extends Upload
    {
        /** The image to catalog instead of (or besides) SBOM files; its --image also names the image of SBOM files. */
        @Mixin
        ImageSourceOptions image;

        @Option(names = "--root", paramLabel = "PATH",
                description = "Where the scanned folder is in the container (default /): paths an SBOM file writes relative to it (node_modules/express) are resolved against it.")
        String root;

        @Override
        public Integer call()
        {
            if (!image.isGiven()) {
                return super.call();
            }
            Path sbom;
            try {
                sbom = Files.createTempFile("runlight-sbom-", ".cdx.json");
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary file for the SBOM", e);
            }
            try {
                try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(sbom))) {
                    image.catalogTo(out, spec.commandLine().getErr());
                }
                catch (IOException e) {
                    throw new UncheckedIOException("cannot write the SBOM of '" + image.sourceName() + "'", e);
                }
                files.add(sbom);
                return super.call();
            }
            finally {
                try {
                    Files.deleteIfExists(sbom);
                }
                catch (IOException e) {
                    spec.commandLine().getErr().println("runlight: cannot delete the temporary SBOM '" + sbom + "': " + e.getMessage());
                }
            }
        }

        @Override
        String endpoint()
        {
            return "/api/v1/sboms";
        }

        @Override
        String query()
        {
            if (root != null && !root.startsWith("/")) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--root': '" + root + "' is not an absolute path; give the folder where the scanned project is in the container, such as /app.");
            }
            String rootParameter = root == null ? "" : "root=" + URLEncoder.encode(root, StandardCharsets.UTF_8);
            // a catalogued folder's BOM names its image itself (--image may be a tag there); SBOM files need a digest
            String imageParameter = image.isGiven() ? "" : imageQuery(spec, image.image);
            return IngestCommand.query(List.of(imageParameter, rootParameter));
        }

        @Override
        String contentType(Path file)
        {
            return documentType(file);
        }

        @Override
        TextTable table()
        {
            return TextTable.withHeaders("FILE", "IMAGE", "PACKAGES", "FORMAT");
        }

        @Override
        void row(TextTable table, String file, JsonNode answer)
        {
            table.row(file, TextTable.cell(answer.path("imageDigest")), TextTable.cell(answer.path("packages")), TextTable.cell(answer.path("format")));
        }
    }

    @Command(name = "vulns", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "Send vulnerability scan reports (Grype, Trivy, ...; POST /api/v1/vulnerability-reports).")
    static final class Vulns
            extends Upload
    {
        @Option(names = "--image", paramLabel = "REF",
                description = "The image the reports describe when they name none: sha256:<digest> or name@sha256:<digest>.")
        String image;

        @Override
        String endpoint()
        {
            return "/api/v1/vulnerability-reports";
        }

        @Override
        String query()
        {
            return IngestCommand.query(List.of(imageQuery(spec, image)));
        }

        @Override
        String contentType(Path file)
        {
            return documentType(file);
        }

        @Override
        TextTable table()
        {
            return TextTable.withHeaders("FILE", "IMAGE", "VULNERABILITIES", "FORMAT");
        }

        @Override
        void row(TextTable table, String file, JsonNode answer)
        {
            table.row(file, TextTable.cell(answer.path("imageDigest")), TextTable.cell(answer.path("vulnerabilities")), TextTable.cell(answer.path("format")));
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, versionProvider = VersionLines.class,
            description = "Send runtime events (NDJSON or JSON of any supported source; POST /api/v1/runtime/events).")
    static final class Events
            extends Upload
    {
        @Override
        String endpoint()
        {
            return "/api/v1/runtime/events";
        }

        @Override
        String contentType(Path file)
        {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".json") ? "application/json" : "application/x-ndjson";
        }

        @Override
        TextTable table()
        {
            return TextTable.withHeaders("FILE", "ACCEPTED", "REJECTED");
        }

        @Override
        void row(TextTable table, String file, JsonNode answer)
        {
            table.row(file, TextTable.cell(answer.path("accepted")), TextTable.cell(answer.path("rejected")));
        }

        @Override
        List<String> notes(String file, JsonNode answer)
        {
            List<String> notes = new ArrayList<>();
            for (JsonNode error : answer.path("errors")) {
                notes.add(file + ": rejected " + error.path("location").asText() + ": " + error.path("message").asText());
            }
            return notes;
        }
    }
}
