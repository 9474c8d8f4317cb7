package io.runlight.benchmarks.hub;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one load run measured.
 *
 * @param requests answers read in the measured time
 * @param errors answers with another status than expected, or failed requests
 * @param seconds the measured time
 * @param perSecond requests per second
 * @param p50 median latency, ms
 * @param p90 90th percentile latency, ms
 * @param p99 99th percentile latency, ms
 * @param max slowest answer, ms
 * @param failures what the errors were, counted
 * @param cpuMillisPerRequest CPU time of the whole bench JVM in the measured time (the server measured, the load
 *        driver and whatever else runs in it), per answer, ms; -1 if the JVM cannot tell
 */
record LoadResult(String name, int requests, int errors, double seconds, double perSecond, double p50, double p90, double p99, double max, List<String> failures,
        double cpuMillisPerRequest)
{
    LoadResult
    {
        requireNonNull(name, "name is null");
        failures = List.copyOf(failures);
    }
}
