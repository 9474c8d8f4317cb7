#!/usr/bin/env bash
# The hub bench (issue 14): builds the benchmarks jar and the bundled Snyk and webhook plugins,
# then starts a hub and a bare Vert.x server in one JVM, drives both with the same requests and
# prints ratios and latency percentiles as a table and JSON (benchmarks/target/hub-bench/hub-bench.json).
#
#   benchmarks/run-hub.sh                              # everything, as in docs/performance.md
#   benchmarks/run-hub.sh --seconds 5 --trials 20 --cold-images 0 --skip sbom   # a quick look
#   SKIP_BUILD=1 benchmarks/run-hub.sh ...             # reuse the built jars
#
# Options: benchmarks/run-hub.sh --help (io.runlight.benchmarks.hub.BenchOptions). The hub's JVM settings go in BENCH_JAVA_OPTS.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$root" && mvn -q -B -ntp -pl benchmarks,plugins/snyk,plugins/generic-webhook -am -DskipTests package)
fi

plugins="$here/target/hub-bench/plugins"
mkdir -p "$plugins"
rm -f "$plugins"/*.jar
for module in snyk generic-webhook; do
    jar="$(find "$root/plugins/$module/target" -maxdepth 1 -name 'runlight-plugin-*.jar' ! -name 'original-*' ! -name '*-sources.jar' | head -1)"
    if [[ -z "$jar" ]]; then
        echo "run-hub.sh: the $module plugin jar is not built under plugins/$module/target" >&2
        exit 1
    fi
    cp "$jar" "$plugins/"
done

cd "$root"
# the same JDK flags the distribution's launcher gives Hazelcast
opens="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
# shellcheck disable=SC2086
exec java $opens -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false ${BENCH_JAVA_OPTS:-} \
    -cp "$here/target/benchmarks.jar" io.runlight.benchmarks.hub.HubBench --plugins "$plugins" "$@"
