#!/usr/bin/env bash
# The control plane at scale, 1,000 Models × 200 workers as ratios to 100 × 20 in the same run:
#   bench/control-plane-scale.sh [--rounds N] [--timeout PT40M] [--smoke] [--results DIR]
# Needs a JDK 25 (JAVA_HOME) and the Kubernetes binaries (hack/k8s-binaries.sh, cached).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib/common.sh
bench_build bench
hack/k8s-binaries.sh >/dev/null
export KILN_BENCH_COMMAND="bench/control-plane-scale.sh $*"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.controlplane.ControlPlaneScaleBench "$@"
