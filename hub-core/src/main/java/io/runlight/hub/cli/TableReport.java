package io.runlight.hub.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.runlight.insights.report.DurationFormat;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;

import static java.util.Objects.requireNonNull;

/**
 * The {@code analyze --format table} report: for each image a short header (names,
 * digest, observation, the working-set reduction), its vulnerabilities by rank and its
 * packages with one example of evidence. Made for people at a terminal; scripts should
 * use {@code --format json} ({@link io.runlight.insights.report.InsightsJsonWriter}).
 * It lives with the CLI, beside {@link TextTable}, because terminal output (widths, ANSI
 * colour) is no business of the engine.
 *
 * <p>Column widths fit the widest value; values longer than a column's limit are cut
 * with {@code …}. ANSI colour (severity and usage) is off unless asked for, so output
 * piped to a file stays plain. Output depends only on the records, so it can be
 * compared byte for byte.
 */
public final class TableReport
{
    private static final String GAP = "  ";
    private static final String ELLIPSIS = "…";
    private static final String NONE = "-";
    private static final DateTimeFormatter LAST_EVENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String BOLD_RED = "\u001b[1;31m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String GREEN = "\u001b[32m";
    private static final String CYAN = "\u001b[36m";

    private final boolean colour;
    private final Optional<Duration> learningWindow;

    private TableReport(boolean colour, Optional<Duration> learningWindow)
    {
        this.colour = colour;
        this.learningWindow = learningWindow;
    }

    /** A report without colour: the default, and what files and pipes should get. */
    public static TableReport plain()
    {
        return new TableReport(false, Optional.empty());
    }

    /** A report coloured with ANSI escape sequences, for a terminal that shows them. */
    public static TableReport coloured()
    {
        return new TableReport(true, Optional.empty());
    }

    /** This report, also telling how much longer a learning image must be observed before its verdicts are final. */
    public TableReport withLearningWindow(Duration window)
    {
        requireNonNull(window, "window is null");
        return new TableReport(colour, Optional.of(window));
    }

    /** The report for several images, separated by a blank line. */
    public String render(List<ImageInsights> images)
    {
        requireNonNull(images, "images is null");
        if (images.isEmpty()) {
            return "No images.\n";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < images.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            render(images.get(i), out);
        }
        return out.toString();
    }

    /** The report for one image. */
    public String render(ImageInsights image)
    {
        requireNonNull(image, "image is null");
        StringBuilder out = new StringBuilder();
        render(image, out);
        return out.toString();
    }

    /** Writes the report for several images to {@code out} as UTF-8; the stream is flushed, not closed. */
    public void write(List<ImageInsights> images, OutputStream out)
            throws IOException
    {
        requireNonNull(out, "out is null");
        out.write(render(images).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void render(ImageInsights image, StringBuilder out)
    {
        String names = image.names().isEmpty() ? "(unnamed image)" : printable(String.join(", ", image.names()));
        out.append(style(BOLD, names)).append(GAP).append(image.digest().algorithm()).append(':').append(image.digest().shortHex()).append('\n');
        out.append("Profile: ").append(profileLine(image.profile())).append('\n');
        out.append(workingSetLine(image, learningWindow)).append('\n');
        out.append(packagesLine(image.summary())).append('\n');

        Map<Purl, PackageInsight> packagesByPurl = new HashMap<>();
        for (PackageInsight insight : image.packages()) {
            packagesByPurl.putIfAbsent(insight.pkg().purl(), insight);
        }
        if (!image.vulnerabilities().isEmpty()) {
            out.append('\n');
            vulnerabilityTable(image.vulnerabilities(), packagesByPurl).render(out);
        }
        if (!image.packages().isEmpty()) {
            out.append('\n');
            packageTable(image.packages()).render(out);
        }
    }

    private static String profileLine(ProfileSummary profile)
    {
        if (profile.state() == ProfileState.NONE) {
            return "none (no runtime observation yet)";
        }
        StringBuilder line = new StringBuilder();
        line.append(profile.state() == ProfileState.COMPLETE ? "complete" : "learning");
        line.append(", ").append(DurationFormat.count(profile.containers(), "container"));
        line.append(" observed for ").append(DurationFormat.readable(profile.observedFor()));
        if (profile.state() == ProfileState.LEARNING) {
            line.append(" so far");
        }
        profile.lastSeen().ifPresent(last -> line.append(", last event ").append(LAST_EVENT.format(last)).append(" UTC"));
        return line.toString();
    }

    /**
     * "20 vulnerabilities → 6 in use (70% less to fix first)": how much of the scanner's
     * list runtime evidence rules out. The percentage is rounded down, never up, and claimed
     * only when no verdict is unknown; otherwise the line says what is known and, for a
     * learning profile, when the verdicts become final.
     */
    private static String workingSetLine(ImageInsights image, Optional<Duration> learningWindow)
    {
        int total = image.vulnerabilities().size();
        if (total == 0) {
            return "No known vulnerabilities";
        }
        int inUse = 0;
        int notInUse = 0;
        int unknown = 0;
        for (VulnerabilityInsight insight : image.vulnerabilities()) {
            switch (insight.usage()) {
                case IN_USE -> inUse++;
                case NOT_IN_USE -> notInUse++;
                case UNKNOWN -> unknown++;
            }
        }
        String all = total == 1 ? "1 vulnerability" : total + " vulnerabilities";
        String whenFinal = whenFinal(image.profile(), learningWindow);
        if (unknown == total) {
            return all + ", usage not known yet (" + unknownReason(image.profile().state()) + ")" + whenFinal;
        }
        if (inUse == total) {
            return all + ", all in use";
        }
        List<String> parts = new ArrayList<>();
        parts.add(inUse + " in use");
        if (unknown > 0) {
            if (notInUse > 0) {
                parts.add(notInUse + " not in use");
            }
            parts.add(unknown + " not known yet");
        }
        StringBuilder line = new StringBuilder(all).append(" → ").append(String.join(", ", parts));
        if (unknown > 0) {
            line.append(whenFinal);
        }
        else if (notInUse > 0) {
            line.append(" (").append(reduction(notInUse, total)).append(" less to fix first)");
        }
        return line.toString();
    }

    // "; final after 16 h more observation" for a learning profile when the window is known
    private static String whenFinal(ProfileSummary profile, Optional<Duration> learningWindow)
    {
        if (profile.state() != ProfileState.LEARNING || learningWindow.isEmpty() || profile.observedFor().compareTo(learningWindow.get()) >= 0) {
            return "";
        }
        return "; final after " + DurationFormat.compact(learningWindow.get().minus(profile.observedFor())) + " more observation";
    }

    private static String unknownReason(ProfileState state)
    {
        return switch (state) {
            case NONE -> "no runtime observation";
            case LEARNING -> "the profile is still learning";
            case COMPLETE -> "the SBOM gives no files of the affected packages, or no sensor could see their kind of use; the package table says why";
        };
    }

    private static String reduction(int ruledOut, int total)
    {
        long percent = 100L * ruledOut / total;
        if (percent == 0) {
            return "<1%";
        }
        return percent + "%";
    }

    private static String packagesLine(InsightsSummary summary)
    {
        if (summary.packages() == 0) {
            return "No packages";
        }
        List<String> parts = new ArrayList<>();
        if (summary.packagesInUse() > 0) {
            parts.add(summary.packagesInUse() + " in use");
        }
        if (summary.packagesNotInUse() > 0) {
            parts.add(summary.packagesNotInUse() + " not in use");
        }
        if (summary.packagesUnknown() > 0) {
            parts.add(summary.packagesUnknown() + " unknown");
        }
        return DurationFormat.count(summary.packages(), "package") + " → " + String.join(", ", parts);
    }

    private Table vulnerabilityTable(List<VulnerabilityInsight> vulnerabilities, Map<Purl, PackageInsight> packagesByPurl)
    {
        List<VulnerabilityInsight> ordered = new ArrayList<>(vulnerabilities);
        ordered.sort(Comparator.comparingInt(VulnerabilityInsight::rank)
                .thenComparing(insight -> insight.vulnerability().id())
                .thenComparing(insight -> insight.packagePurl().toString()));
        Table table = new Table(
                new Column("RANK", 6, true),
                new Column("ID", 24, false),
                new Column("SEVERITY", 10, false),
                new Column("CVSS", 4, true),
                new Column("PACKAGE", 28, false),
                new Column("VERSION", 24, false),
                new Column("FIXED IN", 24, false),
                new Column("USAGE", 10, false));
        for (VulnerabilityInsight insight : ordered) {
            Vulnerability vulnerability = insight.vulnerability();
            Optional<PackageInsight> pkg = Optional.ofNullable(packagesByPurl.get(insight.packagePurl()));
            String name = pkg.map(value -> value.pkg().name()).orElse(insight.packagePurl().name());
            String version = pkg.map(value -> value.pkg().version()).orElse(insight.packagePurl().version().orElse(""));
            String cvss = NONE;
            if (vulnerability.cvssScore().isPresent()) {
                cvss = String.format(Locale.ROOT, "%.1f", vulnerability.cvssScore().getAsDouble());
            }
            String fixedIn = vulnerability.fixedIn().isEmpty() ? NONE : String.join(", ", vulnerability.fixedIn());
            table.row(
                    cell(Integer.toString(insight.rank())),
                    cell(vulnerability.id()),
                    cell(vulnerability.severity().name(), severityStyle(vulnerability.severity())),
                    cell(cvss),
                    cell(name),
                    cell(version.isEmpty() ? NONE : version),
                    cell(fixedIn),
                    cell(usageText(insight.usage()), usageStyle(insight.usage())));
        }
        return table;
    }

    private Table packageTable(List<PackageInsight> packages)
    {
        List<PackageInsight> ordered = new ArrayList<>(packages);
        ordered.sort(Comparator.comparingInt((PackageInsight insight) -> usageOrder(insight.usage()))
                .thenComparing(insight -> insight.pkg().name())
                .thenComparing(insight -> insight.pkg().version())
                .thenComparing(insight -> insight.pkg().purl().toString()));
        Table table = new Table(
                new Column("PACKAGE", 28, false),
                new Column("VERSION", 24, false),
                new Column("TYPE", 8, false),
                new Column("USAGE", 10, false),
                new Column("EVIDENCE", 72, false));
        for (PackageInsight insight : ordered) {
            table.row(
                    cell(insight.pkg().name()),
                    cell(insight.pkg().version().isEmpty() ? NONE : insight.pkg().version()),
                    cell(insight.pkg().type().wireName()),
                    cell(usageText(insight.usage()), usageStyle(insight.usage())),
                    cell(evidenceOrReason(insight)));
        }
        return table;
    }

    // an unknown package without evidence shows why it is unknown instead of a dash
    private static String evidenceOrReason(PackageInsight insight)
    {
        if (insight.evidence().isEmpty() && insight.reason().isPresent()) {
            return insight.reason().get();
        }
        return evidenceText(insight.evidence());
    }

    /**
     * The strongest piece of evidence (exec, then mmap, then open; then the most
     * frequent) as "mmap /lib/libcrypto.so.3 by /bin/busybox (12×)", and how many more.
     */
    private static String evidenceText(List<Evidence> evidence)
    {
        if (evidence.isEmpty()) {
            return NONE;
        }
        Evidence best = evidence.stream()
                .min(Comparator.comparing(Evidence::kind)
                        .thenComparing(Comparator.comparingLong(Evidence::count).reversed())
                        .thenComparing(Evidence::path)
                        .thenComparing(item -> item.process().orElse("")))
                .orElseThrow();
        StringBuilder text = new StringBuilder(best.kind().wireName()).append(' ').append(best.path());
        best.process()
                .filter(process -> !process.equals(best.path()))
                .ifPresent(process -> text.append(" by ").append(process));
        if (best.count() > 1) {
            text.append(" (").append(best.count()).append("×)");
        }
        if (evidence.size() > 1) {
            text.append(" +").append(evidence.size() - 1).append(" more");
        }
        return text.toString();
    }

    private static int usageOrder(Usage usage)
    {
        return switch (usage) {
            case IN_USE -> 0;
            case UNKNOWN -> 1;
            case NOT_IN_USE -> 2;
        };
    }

    private static String usageText(Usage usage)
    {
        return switch (usage) {
            case IN_USE -> "in use";
            case NOT_IN_USE -> "not in use";
            case UNKNOWN -> "unknown";
        };
    }

    private static String usageStyle(Usage usage)
    {
        return switch (usage) {
            case IN_USE -> BOLD_RED;
            case NOT_IN_USE -> GREEN;
            case UNKNOWN -> YELLOW;
        };
    }

    private static String severityStyle(Severity severity)
    {
        return switch (severity) {
            case CRITICAL -> BOLD_RED;
            case HIGH -> RED;
            case MEDIUM -> YELLOW;
            case LOW -> CYAN;
            case NEGLIGIBLE, UNKNOWN -> "";
        };
    }

    private String style(String code, String text)
    {
        if (!colour || code.isEmpty()) {
            return text;
        }
        return code + text + RESET;
    }

    private static Cell cell(String text)
    {
        return new Cell(text, "");
    }

    private static Cell cell(String text, String style)
    {
        return new Cell(text, style);
    }

    /** A value and the ANSI style it is shown in when colour is on. */
    private record Cell(String text, String style) {}

    /** A column: its heading, the widest a value may be, and its alignment. */
    private record Column(String heading, int maxWidth, boolean alignRight) {}

    /** Rows of cells laid out in columns as wide as their widest value. */
    private final class Table
    {
        private final List<Column> columns;
        private final List<List<String>> rows = new ArrayList<>();
        private final List<List<String>> styles = new ArrayList<>();

        Table(Column... columns)
        {
            this.columns = List.of(columns);
        }

        void row(Cell... cells)
        {
            List<String> texts = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < cells.length; i++) {
                texts.add(truncate(cells[i].text(), columns.get(i).maxWidth()));
                codes.add(cells[i].style());
            }
            rows.add(texts);
            styles.add(codes);
        }

        void render(StringBuilder out)
        {
            int[] widths = new int[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                widths[i] = width(columns.get(i).heading());
                for (List<String> row : rows) {
                    widths[i] = Math.max(widths[i], width(row.get(i)));
                }
            }
            List<String> headings = new ArrayList<>();
            List<String> headingStyles = new ArrayList<>();
            for (Column column : columns) {
                headings.add(column.heading());
                headingStyles.add(BOLD);
            }
            line(out, widths, headings, headingStyles);
            for (int r = 0; r < rows.size(); r++) {
                line(out, widths, rows.get(r), styles.get(r));
            }
        }

        private void line(StringBuilder out, int[] widths, List<String> texts, List<String> codes)
        {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                boolean last = i == columns.size() - 1;
                String text = texts.get(i);
                int padding = widths[i] - width(text);
                if (i > 0) {
                    line.append(GAP);
                }
                if (columns.get(i).alignRight()) {
                    line.append(" ".repeat(padding)).append(style(codes.get(i), text));
                }
                else {
                    line.append(style(codes.get(i), text));
                    if (!last) {
                        line.append(" ".repeat(padding));
                    }
                }
            }
            out.append(line).append('\n');
        }
    }

    private static int width(String text)
    {
        return text.codePointCount(0, text.length());
    }

    private static String truncate(String text, int maxWidth)
    {
        String clean = printable(text);
        if (width(clean) <= maxWidth) {
            return clean;
        }
        int end = clean.offsetByCodePoints(0, maxWidth - 1);
        return clean.substring(0, end) + ELLIPSIS;
    }

    /** Control characters (an escape sequence hidden in a package name, say) are shown as "?". */
    private static String printable(String text)
    {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
