package io.runlight.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns JMH's JSON results ({@code -rf json}) and {@link IndexMemory}'s output into one table
 * of ours, baseline, ratio, target and pass/fail, so a run answers issue 3's three targets at
 * a glance. A benchmark class pairs its {@code ours} and {@code baseline} methods with the
 * same parameters; the ratio is ours / baseline throughput.
 *
 * <p>{@code java -cp benchmarks.jar io.runlight.benchmarks.RatioReport target/jmh.json [target/index-memory.json]}
 */
public final class RatioReport
{
    // lowest acceptable ours / baseline throughput, per benchmark class
    private static final Map<String, Double> TARGETS = Map.of(
            "EventMatchingBenchmark", 0.5,
            "SyftIngestBenchmark", 0.4);
    private static final Map<String, String> TITLES = Map.of(
            "EventMatchingBenchmark", "(a) event matching: OwnershipIndex.lookup(raw) vs HashMap.get(canonical)",
            "SyftIngestBenchmark", "(b) Syft ingest: SbomReader.read vs Jackson nextToken() pass");

    private RatioReport() {}

    public static void main(String[] args)
            throws IOException
    {
        if (args.length < 1) {
            System.err.println("usage: RatioReport <jmh.json> [index-memory.json]");
            System.exit(2);
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"measurement", "ours", "baseline", "unit", "ratio", "target", "result"});
        // key: class + params -> method -> primary metric
        Map<String, Map<String, JsonNode>> pairs = new TreeMap<>();
        for (JsonNode result : mapper.readTree(Path.of(args[0]).toFile())) {
            String benchmark = result.path("benchmark").asText();
            String[] parts = benchmark.split("\\.");
            String className = parts[parts.length - 2];
            StringBuilder key = new StringBuilder(className);
            for (Map.Entry<String, JsonNode> param : result.path("params").properties()) {
                key.append(' ').append(param.getKey()).append('=').append(param.getValue().asText());
            }
            pairs.computeIfAbsent(key.toString(), ignored -> new TreeMap<>()).put(parts[parts.length - 1], result.path("primaryMetric"));
        }
        for (Map.Entry<String, Map<String, JsonNode>> pair : pairs.entrySet()) {
            JsonNode ours = pair.getValue().get("ours");
            JsonNode baseline = pair.getValue().get("baseline");
            if (ours == null || baseline == null) {
                continue;
            }
            String className = pair.getKey().split(" ")[0];
            double ratio = ours.path("score").asDouble() / baseline.path("score").asDouble();
            Double target = TARGETS.get(className);
            String parameters = pair.getKey().substring(className.length()).trim();
            rows.add(new String[] {
                    TITLES.getOrDefault(className, className) + (parameters.isEmpty() ? "" : " [" + parameters + "]"),
                    score(ours), score(baseline), ours.path("scoreUnit").asText(),
                    String.format(Locale.ROOT, "%.2f", ratio),
                    target == null ? "-" : ">= " + target,
                    target == null ? "-" : ratio >= target ? "PASS" : "FAIL"});
        }
        if (args.length > 1 && Files.exists(Path.of(args[1]))) {
            JsonNode memory = mapper.readTree(Path.of(args[1]).toFile());
            double ours = memory.path("indexBytesPerPath").asDouble();
            double baseline = memory.path("baselineBytesPerPath").asDouble();
            double target = memory.path("targetBytesPerPath").asDouble();
            rows.add(new String[] {
                    "(c) retained heap per owned path: OwnershipIndex vs HashMap<String,Integer> ["
                            + memory.path("indexPaths").asInt() + " paths]",
                    String.format(Locale.ROOT, "%.1f", ours), String.format(Locale.ROOT, "%.1f", baseline), "bytes/path",
                    String.format(Locale.ROOT, "%.2f", ours / baseline),
                    String.format(Locale.ROOT, "<= %.0f bytes", target),
                    ours <= target ? "PASS" : "FAIL"});
        }
        print(rows);
    }

    private static String score(JsonNode metric)
    {
        return String.format(Locale.ROOT, "%.3f ± %.3f", metric.path("score").asDouble(), metric.path("scoreError").asDouble());
    }

    private static void print(List<String[]> rows)
    {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder("|");
            for (int i = 0; i < widths.length; i++) {
                line.append(' ').append(rows.get(r)[i]).append(" ".repeat(widths[i] - rows.get(r)[i].length())).append(" |");
            }
            System.out.println(line);
            if (r == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int width : widths) {
                    rule.append('-').append("-".repeat(width)).append("-|");
                }
                System.out.println(rule);
            }
        }
    }
}
