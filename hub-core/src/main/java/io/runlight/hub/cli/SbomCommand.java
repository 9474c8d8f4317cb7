package io.runlight.hub.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runlight sbom}: Runlight's own SBOM of an image, from the package managers' records,
 * with every file each package owns, as CycloneDX 1.6 JSON. Offline; no server.
 */
@Command(
        name = "sbom",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = {
                "Make a CycloneDX 1.6 SBOM of an image with every file each package owns (dpkg, apk, rpm, Python, npm, Java, Go, ...).",
                "Reads a root folder or an image archive; nothing is unpacked to disk but the package databases, in a temporary folder removed afterwards."},
        footer = {
                "",
                "Examples:",
                "  docker save shop/cart:1.4 -o cart.tar && runlight sbom --archive cart.tar --out cart.cdx.json",
                "  runlight sbom --rootfs /mnt/rootfs --image shop/cart:1.4 --out cart.cdx.json"})
public final class SbomCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private ImageSourceOptions image;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the SBOM to this file instead of standard output.")
    private Path out;

    @Override
    public Integer call()
            throws IOException
    {
        if (!image.isGiven()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: give --rootfs DIR or --archive PATH");
        }
        if (out == null) {
            OutputStream stdout = new BufferedOutputStream(System.out, 64 * 1024);
            image.catalogTo(stdout, spec.commandLine().getErr());
            stdout.flush();
            return CommandLine.ExitCode.OK;
        }
        // written beside the target and moved into place: a failure leaves no half-written SBOM
        Path absolute = out.toAbsolutePath();
        Path partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 64 * 1024)) {
                image.catalogTo(file, spec.commandLine().getErr());
            }
            Files.move(partial, absolute, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        finally {
            Files.deleteIfExists(partial);
        }
        return CommandLine.ExitCode.OK;
    }
}
