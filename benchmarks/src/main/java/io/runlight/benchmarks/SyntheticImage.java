package io.runlight.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

import static java.util.Objects.requireNonNull;

/**
 * The files {@link SyntheticSbomGenerator} wrote for one synthetic image, and what they hold.
 *
 * @param options the options it was generated with
 * @param sbom the Syft JSON document
 * @param ownedPaths {@code <package index>\t<canonical path>} per line: every distinct path a
 *        package owns (package index = position in the document's {@code artifacts})
 * @param observedPaths {@code <0|1 owned>\t<canonical path>\t<raw path>} per line
 * @param listedFiles how many file entries the packages' {@code metadata.files} list (directory entries not counted)
 * @param ownedPathCount how many lines {@code ownedPaths} has
 * @param observedOwned how many observed paths are owned (the rest are misses)
 */
public record SyntheticImage(
        SyntheticSbomGenerator.Options options,
        Path sbom,
        Path ownedPaths,
        Path observedPaths,
        int listedFiles,
        int ownedPathCount,
        int observedOwned)
{
    public SyntheticImage
    {
        requireNonNull(options, "options is null");
        requireNonNull(sbom, "sbom is null");
        requireNonNull(ownedPaths, "ownedPaths is null");
        requireNonNull(observedPaths, "observedPaths is null");
    }

    /** Calls {@code consumer} with every owned canonical path and its package index, in file order. */
    public void forEachOwnedPath(ObjIntConsumer<String> consumer)
    {
        requireNonNull(consumer, "consumer is null");
        try (BufferedReader reader = Files.newBufferedReader(ownedPaths, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            while (line != null) {
                int tab = line.indexOf('\t');
                consumer.accept(line.substring(tab + 1), Integer.parseInt(line, 0, tab, 10));
                line = reader.readLine();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read owned paths '" + ownedPaths + "'", e);
        }
    }

    /** The observed paths, in file order (already shuffled). */
    public List<ObservedPath> readObservedPaths()
    {
        List<ObservedPath> paths = new ArrayList<>(options.observedPaths());
        try (BufferedReader reader = Files.newBufferedReader(observedPaths, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            while (line != null) {
                int first = line.indexOf('\t');
                int second = line.indexOf('\t', first + 1);
                paths.add(new ObservedPath(line.substring(second + 1), line.substring(first + 1, second), line.charAt(0) == '1'));
                line = reader.readLine();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read observed paths '" + observedPaths + "'", e);
        }
        return paths;
    }
}
