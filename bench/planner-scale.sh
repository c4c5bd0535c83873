#!/usr/bin/env bash
# The residency planner at scale, as a ratio to a plan a hundredth its size:
#   bench/planner-scale.sh [--rounds N] [--smoke] [--results DIR]
# Needs a JDK 25 (JAVA_HOME).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib/common.sh
bench_build bench
export KILN_BENCH_COMMAND="bench/planner-scale.sh $*"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx4g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.planner.PlannerScaleBench "$@"
