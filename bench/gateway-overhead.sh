#!/usr/bin/env bash
# Kiln's gateway against nginx and Ray Serve in front of a zero-work model (added latency, maximum throughput):
#   bench/gateway-overhead.sh [--rounds N] [--seconds S] [--connections N] [--rates R1,R2,...] [--smoke] [--results DIR]
# Needs a JDK 25 (JAVA_HOME), Python 3.11+ with venv, and the Kubernetes binaries `kiln dev` uses (cached under
# ${KILN_CACHE_DIR:-~/.cache/kiln}). Installs what is missing: wrk and nginx (Debian's packages, as root) and
# Ray Serve, pinned in bench/gateway-overhead-requirements.txt, into a venv under the same cache.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib/common.sh
ensure_command wrk
ensure_command nginx nginx-light
venv=$(bench_venv bench/gateway-overhead-requirements.txt)
bench_build bench
hack/k8s-binaries.sh >/dev/null
export KILN_BENCH_COMMAND="bench/gateway-overhead.sh $*"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.gateway.GatewayOverheadBench --ray-python "$venv/bin/python" "$@"
