#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs issue 3's three measurements with modest
# settings for a small shared machine, then prints one table of ours / baseline / ratio / target.
#
#   benchmarks/run.sh                   # build, run all three, print the summary
#   SKIP_BUILD=1 benchmarks/run.sh      # reuse the jar
#   JMH_OPTS="-f 1 -wi 5 -i 10 -w 5s -r 5s" benchmarks/run.sh   # longer, steadier runs
#
# Generated SBOMs are cached under benchmarks/target/synthetic (about 210 MB); delete it to regenerate.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -i 5 -w 2s -r 2s}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    if grep -q '<module>benchmarks</module>' "$root/pom.xml"; then
        # part of the reactor: build the engine from this working tree too
        (cd "$root" && mvn -q -B -ntp -pl benchmarks -am -DskipTests package)
    else
        # standalone: needs runlight-runtime-insights installed in ~/.m2
        mvn -q -B -ntp -f "$here/pom.xml" -DskipTests package
    fi
fi

cd "$here"
mkdir -p target
echo "== (a) event matching and (b) Syft ingest (JMH: $JMH_OPTS)"
# shellcheck disable=SC2086
java -jar target/benchmarks.jar 'io\.runlight\.benchmarks\.(EventMatching|SyftIngest)Benchmark' \
    $JMH_OPTS -rf json -rff target/jmh.json
echo "== (c) retained index memory"
java -Xms6g -Xmx6g -XX:+UseSerialGC -cp target/benchmarks.jar io.runlight.benchmarks.IndexMemory target/index-memory.json
echo
echo "== Summary"
java -cp target/benchmarks.jar io.runlight.benchmarks.RatioReport target/jmh.json target/index-memory.json
