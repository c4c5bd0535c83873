# Sourced by the benchmarks' scripts in bench/: what they need before they run.

# Installs a Debian package when its command is missing (as root), or says what to install.
ensure_command() {
  local command=$1 package=${2:-$1}
  command -v "$command" >/dev/null && return
  if [[ $EUID -ne 0 ]]; then
    echo "$command is missing: install Debian's $package (apt-get install $package)" >&2
    exit 1
  fi
  echo "installing Debian's $package for $command" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

# A virtual environment with the pinned packages of a requirements file, cached under
# ${KILN_CACHE_DIR:-~/.cache/kiln} and rebuilt when the file changes; prints its directory.
bench_venv() {
  local requirements=$1
  local venv="${KILN_CACHE_DIR:-$HOME/.cache/kiln}/bench-venv-$(basename "$requirements" .txt)"
  if ! cmp -s "$requirements" "$venv/requirements.txt"; then
    echo "installing $requirements into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$venv/requirements.txt"
  fi
  echo "$venv"
}

# Builds the modules a benchmark needs from this checkout, unless the caller (the build's smoke
# tests, bench/run-all.sh) already has: KILN_BENCH_BUILT=1.
bench_build() {
  [[ -n "${KILN_BENCH_BUILT:-}" ]] && return
  ./mvnw -B -q -pl "$1" -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
}
