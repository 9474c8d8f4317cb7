package io.runlight.insights.sbom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;

import static java.util.Objects.requireNonNull;

/**
 * Reads the dpkg database of an unpacked Debian-family file system (an image's layers
 * extracted to a directory, or a real system's {@code /}) as an SBOM: Runlight's own
 * ownership index, exact where scanners' lists may be trimmed.
 *
 * <ul>
 *   <li>Packages: {@code var/lib/dpkg/status} paragraphs whose files are on disk (status
 *       {@code installed}, {@code unpacked}, {@code half-configured}, {@code half-installed},
 *       {@code triggers-awaited}, {@code triggers-pending}).</li>
 *   <li>Owned files: {@code var/lib/dpkg/info/<name>:<arch>.list} (multi-arch "same" packages)
 *       or {@code <name>.list}, directories included, as {@code dpkg -S} sees them.</li>
 *   <li>Distroless images have no {@code status} but {@code var/lib/dpkg/status.d/<name>}
 *       with {@code <name>.md5sums}: read those instead.</li>
 *   <li>Distro from {@code etc/os-release}; purls as {@code pkg:deb/<ID>/<name>@<version>?arch=<arch>&distro=<ID>-<VERSION_ID>}.</li>
 * </ul>
 * The image identity is unknown: the caller knows which image it unpacked.
 */
public final class DpkgDatabaseReader
{
    private static final DocumentFormat FORMAT = DocumentFormat.DPKG_DATABASE;
    private static final String STATUS = "var/lib/dpkg/status";
    private static final String STATUS_D = "var/lib/dpkg/status.d";
    private static final String INFO = "var/lib/dpkg/info";
    private static final Set<String> FILES_ON_DISK = Set.of("installed", "unpacked", "half-configured", "half-installed", "triggers-awaited", "triggers-pending");

    private final InputLimits limits;

    public DpkgDatabaseReader(InputLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Reads the database below {@code root}.
     *
     * @throws InputException INVALID if there is no dpkg database, MALFORMED if it cannot be
     *         parsed, TOO_LARGE if a file or the number of packages and files is over a limit
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
        ItemBudget budget = new ItemBudget(FORMAT, limits.maxItems());
        Optional<OsInfo> os = files.osRelease();
        PackageDrafts packages = new PackageDrafts();
        Optional<String> status = files.regularFile(STATUS);
        if (status.isPresent()) {
            for (ControlParagraphs.Paragraph paragraph : ControlParagraphs.parse(files.lines(status.get(), STATUS), FORMAT, STATUS)) {
                draft(paragraph, STATUS, budget).ifPresent(draft -> {
                    listedFiles(files, draft, paragraph, budget);
                    packages.add(draft);
                });
            }
        }
        else {
            Optional<String> statusDirectory = files.directory(STATUS_D);
            if (statusDirectory.isEmpty()) {
                throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), STATUS,
                        "expected the dpkg status file (or " + STATUS_D + "/) below '" + files.root() + "', found neither: not a Debian-family file system");
            }
            readStatusDirectory(files, statusDirectory.get(), packages, budget);
        }
        return new Sbom(FORMAT, ImageIdentity.UNKNOWN, os, packages.build(os));
    }

    private Optional<PackageDraft> draft(ControlParagraphs.Paragraph paragraph, String shownPath, ItemBudget budget)
    {
        String location = shownPath + " line " + paragraph.line();
        String name = paragraph.field("Package");
        if (name.isEmpty()) {
            throw new InputException(InputException.Reason.MALFORMED, FORMAT.displayName(), location, "expected a 'Package' field in the paragraph, found none");
        }
        if (name.contains("/") || name.startsWith(".")) {
            throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), location, "expected a Debian package name, found '" + ControlParagraphs.printable(name) + "'");
        }
        String[] status = paragraph.field("Status").split("\\s+");
        // status.d entries have no Status field: they describe installed packages
        if (!paragraph.field("Status").isEmpty() && (status.length < 3 || !FILES_ON_DISK.contains(status[2]))) {
            return Optional.empty();
        }
        budget.add(location);
        String arch = paragraph.field("Architecture");
        String id = arch.isEmpty() ? name : name + ":" + arch;
        PackageDraft draft = new PackageDraft(id, PackageType.DEB, name, paragraph.field("Version")).arch(Optional.of(arch));
        draft.addLocation("/" + shownPath);
        return Optional.of(draft);
    }

    private static void listedFiles(RootFileSystem files, PackageDraft draft, ControlParagraphs.Paragraph paragraph, ItemBudget budget)
    {
        String name = paragraph.field("Package");
        String arch = paragraph.field("Architecture");
        String qualified = INFO + "/" + name + ":" + arch + ".list";
        String plain = INFO + "/" + name + ".list";
        Optional<String> list = arch.isEmpty() ? Optional.empty() : files.regularFile(qualified);
        String shownPath = qualified;
        if (list.isEmpty()) {
            list = files.regularFile(plain);
            shownPath = plain;
        }
        if (list.isEmpty()) {
            return;
        }
        List<String> lines = files.lines(list.get(), shownPath);
        budget.add(shownPath, lines.size());
        for (String line : lines) {
            if (!line.isEmpty() && !line.equals("/.")) {
                draft.addOwnedFile(SbomPaths.absolute(line));
            }
        }
    }

    private void readStatusDirectory(RootFileSystem files, String directory, PackageDrafts packages, ItemBudget budget)
    {
        List<String> entries = new ArrayList<>();
        for (String name : files.files(directory, STATUS_D)) {
            if (!name.endsWith(".md5sums")) {
                entries.add(name);
            }
        }
        for (String entry : entries) {
            String shownPath = STATUS_D + "/" + entry;
            String file = directory + "/" + entry;
            for (ControlParagraphs.Paragraph paragraph : ControlParagraphs.parse(files.lines(file, shownPath), FORMAT, shownPath)) {
                draft(paragraph, shownPath, budget).ifPresent(draft -> {
                    Optional<String> sums = files.regularFile(shownPath + ".md5sums");
                    if (sums.isPresent()) {
                        List<String> lines = files.lines(sums.get(), shownPath + ".md5sums");
                        budget.add(shownPath + ".md5sums", lines.size());
                        for (String line : lines) {
                            // "<md5>  usr/lib/x86_64-linux-gnu/libc.so.6"
                            int separator = line.indexOf("  ");
                            if (separator > 0 && separator + 2 < line.length()) {
                                draft.addOwnedFile(SbomPaths.absolute(line.substring(separator + 2)));
                            }
                        }
                    }
                    packages.add(draft);
                });
            }
        }
    }
}
