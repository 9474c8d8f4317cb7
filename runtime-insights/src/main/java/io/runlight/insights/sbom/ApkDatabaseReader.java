package io.runlight.insights.sbom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;

import static java.util.Objects.requireNonNull;

/**
 * Reads the apk database of an unpacked Alpine (or Wolfi) file system,
 * {@code lib/apk/db/installed}, as an SBOM: one paragraph per package with {@code P:} name,
 * {@code V:} version, {@code A:} architecture, and the owned files as {@code F:} directory
 * lines each followed by its {@code R:} file lines. Directories are listed as owned too, as
 * Syft lists them. Distro from {@code etc/os-release}.
 */
public final class ApkDatabaseReader
{
    private static final DocumentFormat FORMAT = DocumentFormat.APK_DATABASE;
    private static final String INSTALLED = "lib/apk/db/installed";

    private final InputLimits limits;

    public ApkDatabaseReader(InputLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Reads the database below {@code root}.
     *
     * @throws InputException INVALID if there is no apk database, MALFORMED if it cannot be
     *         parsed, TOO_LARGE if it is over a limit
     */
    public Sbom read(Path root)
    {
        requireNonNull(root, "root is null");
        return read(new RootFileSystem(root, FORMAT, limits));
    }

    /** Reads the database of an image's files, on disk or in memory. */
    public Sbom read(RootFileSystem files)
    {
        requireNonNull(files, "files is null");
        String installed = files.regularFile(INSTALLED).orElseThrow(() -> new InputException(InputException.Reason.INVALID, FORMAT.displayName(), INSTALLED,
                "expected the apk database below '" + files.root() + "', found none: not an Alpine file system"));
        Optional<OsInfo> os = files.osRelease();
        ItemBudget budget = new ItemBudget(FORMAT, limits.maxItems());
        PackageDrafts packages = new PackageDrafts();
        List<String> lines = files.lines(installed, INSTALLED);
        Entry entry = new Entry();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            String location = INSTALLED + " line " + (index + 1);
            if (line.isBlank()) {
                entry.finish(packages);
                entry = new Entry();
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != ':') {
                throw new InputException(InputException.Reason.MALFORMED, FORMAT.displayName(), location,
                        "expected 'X:value' (a one-letter field), found '" + ControlParagraphs.printable(line) + "'");
            }
            entry.line(line.charAt(0), line.substring(2), location, budget);
        }
        entry.finish(packages);
        return new Sbom(FORMAT, ImageIdentity.UNKNOWN, os, packages.build(os));
    }

    /** One package's paragraph while it is read. */
    private static final class Entry
    {
        private final List<String> files = new ArrayList<>();
        private String name = "";
        private String version = "";
        private String arch = "";
        private String directory = "";
        private String startLocation = "";

        void line(char field, String value, String location, ItemBudget budget)
        {
            if (startLocation.isEmpty()) {
                startLocation = location;
            }
            switch (field) {
                case 'P' -> name = value;
                case 'V' -> version = value;
                case 'A' -> arch = value;
                case 'F' -> {
                    budget.add(location);
                    directory = value;
                    files.add(SbomPaths.absolute(value));
                }
                case 'R' -> {
                    budget.add(location);
                    files.add(SbomPaths.absolute(directory.isEmpty() ? value : directory + "/" + value));
                }
                default -> {
                    // checksums, sizes, dependencies, ownership: not needed to match files
                }
            }
        }

        void finish(PackageDrafts packages)
        {
            if (startLocation.isEmpty()) {
                return;
            }
            if (name.isBlank()) {
                throw new InputException(InputException.Reason.MALFORMED, FORMAT.displayName(), startLocation,
                        "expected a 'P:' (package name) line in the paragraph, found none");
            }
            PackageDraft draft = new PackageDraft(name, PackageType.APK, name, version).arch(Optional.of(arch));
            draft.addLocation("/" + INSTALLED);
            files.forEach(draft::addOwnedFile);
            packages.add(draft);
        }
    }
}
