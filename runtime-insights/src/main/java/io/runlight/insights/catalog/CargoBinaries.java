package io.runlight.insights.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * Rust crates built into executables by {@code cargo auditable}: its {@code .dep-v0} ELF
 * section holds zlib-compressed JSON {@code {"packages": [{"name", "version", "source",
 * "kind", "dependencies", "root"}]}}. Every crate compiled in (kind {@code runtime}, the
 * default; build-time crates are not in the binary) is owned through the binary, as Go
 * modules are; path crates of the workspace other than the binary's own are left out, as no
 * registry knows them.
 */
final class CargoBinaries
        implements Ecosystem
{
    static final String SECTION = ".dep-v0";
    // the smallest Rust executables are a few hundred kilobytes; smaller ones are scripts and C tools
    private static final long MIN_SIZE = 16 * 1024;
    private static final int MAX_COMPRESSED = 8 << 20;
    private static final int MAX_JSON = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1 << 20).build())
            .build());

    private final Set<String> pending = new TreeSet<>();

    @Override
    public boolean wantsMetadata(String path)
    {
        return false;
    }

    @Override
    public boolean wantsStream(String path, FileNode node)
    {
        return ElfSections.mayCarrySections(path, node, MIN_SIZE);
    }

    @Override
    public void stream(String path, FileNode node, InputStream content, CatalogContext context)
            throws IOException
    {
        if (content instanceof ChannelRegion.Content random) {
            read(path, random.region(), context);
            return;
        }
        byte[] head = content.readNBytes(64);
        if (GoBuildInfo.isElf(head)) {
            // the section table is at the end of the file: read at random from a copy
            context.randomAccess(path, new SequenceInputStream(new ByteArrayInputStream(head), content), file -> {
                readFile(path, file, context);
                return null;
            });
        }
    }

    @Override
    public void streamTaken(String path, FileNode node)
    {
        pending.add(path);
    }

    @Override
    public Set<String> pendingFiles()
    {
        return pending;
    }

    @Override
    public void readFile(String path, Path file, CatalogContext context)
            throws IOException
    {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            read(path, new ChannelRegion(channel, 0, channel.size()), context);
        }
    }

    @Override
    public void finish(CatalogContext context)
    {
        // crates were added as binaries were read
    }

    private static void read(String binary, ChannelRegion elf, CatalogContext context)
            throws IOException
    {
        JsonNode packages;
        try {
            if (!(ElfSections.find(elf, SECTION) instanceof ElfSections.Found section)) {
                return;
            }
            if (section.size() > MAX_COMPRESSED) {
                context.warn("left out the Rust crates of '" + binary + "': its " + SECTION + " section has " + section.size() + " bytes, more than the "
                        + MAX_COMPRESSED + " cargo auditable data can have");
                return;
            }
            byte[] json = inflate(elf.read(section.offset(), (int) section.size(), section.order()).array());
            packages = JSON.readTree(json).path("packages");
        }
        catch (EOFException e) {
            context.warn("left out the Rust crates of '" + binary + "': " + e.getMessage());
            return;
        }
        catch (DataFormatException e) {
            context.warn("left out the Rust crates of '" + binary + "': its " + SECTION + " section is not zlib data (" + e.getMessage() + ")");
            return;
        }
        catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JacksonException) {
                context.warn("left out the Rust crates of '" + binary + "': its " + SECTION + " section is not cargo auditable JSON (" + firstLine(e.getMessage()) + ")");
                return;
            }
            throw e;
        }
        if (!packages.isArray()) {
            context.warn("left out the Rust crates of '" + binary + "': its " + SECTION + " section has no \"packages\" array");
            return;
        }
        for (JsonNode crate : packages) {
            String name = crate.path("name").asText("");
            String version = crate.path("version").asText("");
            if (!crate.path("name").isTextual() || name.isEmpty() || !crate.path("version").isTextual() || version.isEmpty()) {
                context.warn("left out a Rust crate of '" + binary + "': it has no name and version (" + firstLine(crate.toString()) + ")");
                continue;
            }
            boolean buildOnly = crate.path("kind").isTextual() && !crate.path("kind").asText().equals("runtime");
            boolean localDependency = "local".equals(crate.path("source").asText("")) && !crate.path("root").asBoolean(false);
            if (buildOnly || localDependency) {
                continue;
            }
            Purl purl = Purl.of("cargo", null, name, version);
            InstalledPackage pkg = new InstalledPackage(PackageType.CARGO, name, version, purl, Optional.empty());
            context.add(new SbomPackage(purl.toString(), pkg, List.of(), List.of(binary), Optional.empty()));
        }
    }

    // bounded: a small section must not inflate to gigabytes
    private static byte[] inflate(byte[] compressed)
            throws DataFormatException, EOFException
    {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int length = inflater.inflate(buffer);
                if (length == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new EOFException("its " + SECTION + " section ends before its zlib data does");
                }
                out.write(buffer, 0, length);
                if (out.size() > MAX_JSON) {
                    throw new EOFException("its " + SECTION + " section inflates to more than " + MAX_JSON + " bytes, the limit");
                }
            }
            return out.toByteArray();
        }
        finally {
            inflater.end();
        }
    }

    private static String firstLine(String text)
    {
        if (text == null) {
            return "unreadable";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
