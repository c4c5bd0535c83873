#!/usr/bin/env bash
# Kiln's runtime against Python's onnxruntime on the same ONNX model and request (see runtime_vs_onnxruntime.py):
#   bench/runtime-vs-onnxruntime.sh [--smoke] [--rounds N] [--seconds S] [--connections N] [--threads 1|2] [--results DIR]
# Needs a JDK 25 (JAVA_HOME), Python 3.11+ and wrk (installed from Debian when missing, as root). The Python
# packages, pinned in bench/runtime-requirements.txt, go into a venv under ${KILN_CACHE_DIR:-~/.cache/kiln}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib/common.sh
ensure_command wrk
venv=$(bench_venv bench/runtime-requirements.txt)
bench_build runtime-image
exec "$venv/bin/python" bench/runtime_vs_onnxruntime.py "$@"
