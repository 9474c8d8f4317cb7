package io.runlight.benchmarks.hub;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Collects the bench's figures and prints them as a table and JSON: load runs of the hub
 * beside the bare server (throughput ratio, latency percentiles), single measurements, and
 * trials (p50, p99, max).
 */
final class BenchReport
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, String> machine;
    private final ArrayNode rows = JSON.createArrayNode();
    private final List<String> table = new ArrayList<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    BenchReport(Map<String, String> machine)
    {
        this.machine = Map.copyOf(machine);
    }

    void compared(String name, LoadResult hub, LoadResult bare, int itemsPerRequest, String target)
    {
        double ratio = bare.perSecond() == 0 ? 0 : hub.perSecond() / bare.perSecond();
        ObjectNode row = rows.addObject().put("name", name).put("kind", "compared").put("ratio", round(ratio)).put("target", target);
        row.set("hub", result(hub, itemsPerRequest));
        row.set("bare", result(bare, itemsPerRequest));
        double cpuRatio = hub.cpuMillisPerRequest() <= 0 ? 0 : bare.cpuMillisPerRequest() / hub.cpuMillisPerRequest();
        row.put("cpuRatio", round(cpuRatio));
        table.add(String.format(Locale.ROOT, "%s%n    hub  %10.1f req/s%s  p50 %8.2f ms  p90 %8.2f ms  p99 %8.2f ms  max %8.2f ms  errors %d  cpu %.3f ms/req%n"
                        + "    bare %10.1f req/s%s  p50 %8.2f ms  p90 %8.2f ms  p99 %8.2f ms  max %8.2f ms  errors %d  cpu %.3f ms/req%n"
                        + "    ratio %.4f (target %s); CPU per request, bare / hub: %.4f",
                name, hub.perSecond(), items(hub, itemsPerRequest), hub.p50(), hub.p90(), hub.p99(), hub.max(), hub.errors(), hub.cpuMillisPerRequest(),
                bare.perSecond(), items(bare, itemsPerRequest), bare.p50(), bare.p90(), bare.p99(), bare.max(), bare.errors(), bare.cpuMillisPerRequest(), ratio, target, cpuRatio));
        if (!hub.failures().isEmpty()) {
            table.add("    hub errors: " + hub.failures());
        }
    }

    /**
     * The same load on a cluster of one member and on one of {@code members}: total and
     * per-member throughput, and per member against the one member.
     */
    void scaling(String name, LoadResult one, LoadResult cluster, int members, int itemsPerRequest)
    {
        double perMember = cluster.perSecond() / members;
        double ratio = one.perSecond() == 0 ? 0 : perMember / one.perSecond();
        ObjectNode row = rows.addObject().put("name", "1 → " + members + " members: " + name).put("kind", "scaling").put("members", members)
                .put("perMemberPerSecond", round(perMember)).put("perMemberRatio", round(ratio)).put("totalRatio", round(ratio * members));
        row.set("one", result(one, itemsPerRequest));
        row.set("cluster", result(cluster, itemsPerRequest));
        table.add(String.format(Locale.ROOT, "1 → %d members on loopback: %s%n    1 member  %10.1f req/s%s  p50 %8.2f ms  p99 %8.2f ms  errors %d%n"
                        + "    %d members %10.1f req/s%s  p50 %8.2f ms  p99 %8.2f ms  errors %d%n    per member %.1f req/s, %.4f of one member (total %.4f)",
                members, name, one.perSecond(), items(one, itemsPerRequest), one.p50(), one.p99(), one.errors(),
                members, cluster.perSecond(), items(cluster, itemsPerRequest), cluster.p50(), cluster.p99(), cluster.errors(), perMember, ratio, ratio * members));
        for (LoadResult result : List.of(one, cluster)) {
            if (!result.failures().isEmpty()) {
                table.add("    " + result.name() + " errors: " + result.failures());
            }
        }
    }

    void load(String name, LoadResult result, String target)
    {
        ObjectNode row = rows.addObject().put("name", name).put("kind", "load").put("target", target);
        row.set("result", result(result, 1));
        table.add(String.format(Locale.ROOT, "%s%n    %10.1f req/s  p50 %8.2f ms  p90 %8.2f ms  p99 %8.2f ms  max %8.2f ms  errors %d (target %s)",
                name, result.perSecond(), result.p50(), result.p90(), result.p99(), result.max(), result.errors(), target));
    }

    void ratio(String name, double ours, double baseline, double oursMillis, double baselineMillis, String target)
    {
        double ratio = ours / baseline;
        rows.addObject().put("name", name).put("kind", "ratio").put("hub", round(ours)).put("baseline", round(baseline)).put("hubMillis", round(oursMillis))
                .put("baselineMillis", round(baselineMillis)).put("ratio", round(ratio)).put("target", target);
        table.add(String.format(Locale.ROOT, "%s%n    hub %.1f (%.0f ms)  Jackson token pass %.1f (%.0f ms)  ratio %.4f (target %s)",
                name, ours, oursMillis, baseline, baselineMillis, ratio, target));
    }

    void single(String name, double millis, String target)
    {
        rows.addObject().put("name", name).put("kind", "single").put("millis", round(millis)).put("target", target);
        table.add(String.format(Locale.ROOT, "%s%n    %.0f ms (target %s)", name, millis, target));
    }

    void trials(String name, List<Long> nanos, int trials, String target)
    {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = percentile(sorted, 50);
        double p99 = percentile(sorted, 99);
        double max = sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
        rows.addObject().put("name", name).put("kind", "trials").put("trials", trials).put("measured", sorted.length)
                .put("p50", round(p50)).put("p99", round(p99)).put("max", round(max)).put("target", target);
        table.add(String.format(Locale.ROOT, "%s%n    %d of %d trials  p50 %.0f ms  p99 %.0f ms  max %.0f ms (target %s)", name, sorted.length, trials, p50, p99, max, target));
    }

    /** Where the hub's threads were during a load run ({@link StackSampler}). */
    void profile(String name, List<String> lines)
    {
        ArrayNode profile = rows.addObject().put("name", name).put("kind", "profile").putArray("hubThreads");
        lines.forEach(profile::add);
        table.add("    where the hub's threads were (sampled every 20 ms):");
        lines.forEach(line -> table.add("      " + line));
    }

    void note(String name, String value)
    {
        notes.put(name, value);
    }

    void print(PrintStream out)
    {
        out.println();
        out.println("== Runlight hub bench");
        machine.forEach((name, value) -> out.println("  " + name + ": " + value));
        out.println();
        table.forEach(out::println);
        out.println();
        notes.forEach((name, value) -> out.println("  " + name + ": " + value));
    }

    String json()
            throws JsonProcessingException
    {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode machineNode = root.putObject("machine");
        machine.forEach(machineNode::put);
        root.set("results", rows);
        ObjectNode notesNode = root.putObject("notes");
        notes.forEach(notesNode::put);
        return JSON.writeValueAsString(root);
    }

    private static ObjectNode result(LoadResult result, int itemsPerRequest)
    {
        ObjectNode node = JSON.createObjectNode()
                .put("requests", result.requests())
                .put("errors", result.errors())
                .put("seconds", round(result.seconds()))
                .put("perSecond", round(result.perSecond()))
                .put("p50", round(result.p50()))
                .put("p90", round(result.p90()))
                .put("p99", round(result.p99()))
                .put("max", round(result.max()))
                .put("cpuMillisPerRequest", round(result.cpuMillisPerRequest()));
        if (itemsPerRequest > 1) {
            node.put("itemsPerSecond", round(result.perSecond() * itemsPerRequest));
        }
        return node;
    }

    private static String items(LoadResult result, int itemsPerRequest)
    {
        return itemsPerRequest > 1 ? String.format(Locale.ROOT, " (%.0f events/s)", result.perSecond() * itemsPerRequest) : "";
    }

    private static double percentile(long[] sorted, int percent)
    {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static double round(double value)
    {
        return Math.round(value * 1000) / 1000.0;
    }
}
