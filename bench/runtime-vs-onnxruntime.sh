#!/usr/bin/env bash
# Kiln's runtime against Python's onnxruntime on the same ONNX model and request (see runtime_vs_onnxruntime.py):
#   bench/runtime-vs-onnxruntime.sh [--smoke] [--rounds N] [--seconds S] [--connections N] [--threads 1|2] [--out FILE]
# Needs a JDK 25 (JAVA_HOME), Python 3.11+ and wrk (apt-get install wrk). The Python packages, pinned in
# bench/requirements.txt, go into a venv under ${KILN_CACHE_DIR:-~/.cache/kiln}/bench-venv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv="${KILN_CACHE_DIR:-$HOME/.cache/kiln}/bench-venv"
if ! cmp -s bench/requirements.txt "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r bench/requirements.txt
  cp bench/requirements.txt "$venv/requirements.txt"
fi
./mvnw -B -q -pl runtime-image -am package -DskipTests
exec "$venv/bin/python" bench/runtime_vs_onnxruntime.py "$@"
