#!/usr/bin/env bash
# Cold vs warm: from kubectl apply of a Model to its first answer, as ratios to a warm spare with the
# model cached, on Kiln started on this machine as `kiln dev` starts it:
#   bench/cold-vs-warm.sh [--rounds N] [--smoke] [--results DIR]
# Needs a JDK 25 (JAVA_HOME); the Kubernetes binaries come from the cache `kiln dev` uses (hack/k8s-binaries.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
hack/k8s-binaries.sh >/dev/null
source bench/lib/common.sh
bench_build bench
export KILN_BENCH_COMMAND="bench/cold-vs-warm.sh $*"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.coldstart.ColdVsWarmBench "$@"
