#!/usr/bin/env bash
# Runs every benchmark, one at a time, then writes docs/benchmarks.md and its charts from their results:
#   bench/run-all.sh [--smoke]
# --smoke runs each at tiny sizes and writes the report under bench/target/smoke/ instead of docs/.
# Needs what each benchmark's script says (a JDK 25, Python 3.11+, wrk; nginx and Ray Serve are installed
# by bench/gateway-overhead.sh when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
smoke=()
results=bench/target/results
report=docs/benchmarks.md
if [[ "${1:-}" == "--smoke" ]]; then
  smoke=(--smoke)
  results=bench/target/smoke/results
  report=bench/target/smoke/benchmarks.md
fi
rm -rf "$results"
mkdir -p "$results" "$(dirname "$report")"

for benchmark in gateway-overhead cold-vs-warm runtime-vs-onnxruntime control-plane-scale planner-scale \
    metering-accuracy; do
  echo "=== $benchmark ($(date -u +%H:%M:%S))"
  "bench/$benchmark.sh" "${smoke[@]}" --results "$results"
done

./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.report.BenchmarkReport --results "$results" --out "$report"
