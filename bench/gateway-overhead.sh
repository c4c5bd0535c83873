#!/usr/bin/env bash
# Kiln's gateway against nginx and Ray Serve in front of a zero-work model (added latency, maximum throughput):
#   bench/gateway-overhead.sh [--rounds N] [--seconds S] [--connections N] [--rates R1,R2,...] [--smoke] [--results DIR]
# Needs a JDK 25 (hack/jdk.sh finds it), wrk, Python 3.10+ with venv, and the Kubernetes binaries `kiln dev` uses (cached
# under ${KILN_CACHE_DIR:-~/.cache/kiln}). Installs what is missing: nginx (Debian's package, when run as root)
# and Ray Serve, pinned in bench/gateway-overhead-requirements.txt, into a venv under
# ${KILN_CACHE_DIR:-~/.cache/kiln}/gateway-bench-venv. Without them it measures the rest and says so.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source hack/jdk.sh
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null
  else
    echo "gateway-overhead: no nginx, and not root to install it (apt-get install nginx-light): nginx is left out" >&2
  fi
fi
if ! command -v wrk >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
venv="${KILN_CACHE_DIR:-$HOME/.cache/kiln}/gateway-bench-venv"
if ! cmp -s bench/gateway-overhead-requirements.txt "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r bench/gateway-overhead-requirements.txt
  cp bench/gateway-overhead-requirements.txt "$venv/requirements.txt"
fi
# One reactor build, so Kiln comes from this checkout, not from a local Maven repository.
./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
hack/k8s-binaries.sh >/dev/null
export KILN_BENCH_COMMAND="bench/gateway-overhead.sh $*"
exec java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.gateway.GatewayOverheadBench --ray-python "$venv/bin/python" "$@"
