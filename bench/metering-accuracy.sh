#!/usr/bin/env bash
# Metering accuracy: metered GPU-seconds and per-key compute seconds against ground truth over a
# mixed load, as relative errors, on Kiln started on this machine as `kiln dev` starts it:
#   bench/metering-accuracy.sh [--minutes N] [--smoke] [--results DIR]
# Needs a JDK 25 (JAVA_HOME); the Kubernetes binaries come from the cache `kiln dev` uses (hack/k8s-binaries.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
hack/k8s-binaries.sh >/dev/null
source bench/lib/common.sh
bench_build bench
export KILN_BENCH_COMMAND="bench/metering-accuracy.sh $*"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.metering.MeteringAccuracyBench "$@"
