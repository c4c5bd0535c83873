#!/usr/bin/env bash
# Provisions the monitoring tools the tests run as local processes, built from Go modules:
#   ${KILN_CACHE_DIR:-$HOME/.cache/kiln}/tools/helm-<helm.version>/helm
#   ${KILN_CACHE_DIR:-$HOME/.cache/kiln}/tools/prometheus-<prometheus.version>/prometheus
#   ${KILN_CACHE_DIR:-$HOME/.cache/kiln}/tools/prometheus-<prometheus.version>/promtool
#   ${KILN_CACHE_DIR:-$HOME/.cache/kiln}/tools/prometheus-operator-<version>/*.yaml (two CRDs)
# One directory per tool and version, each with a .complete stamp. A second run is a no-op.
#
# Prometheus is built without its web UI (the assets are generated at release time and are not
# part of the Go module); the HTTP API (/api/v1/*, /-/ready, /metrics) works as usual.
#
# Usage: hack/monitoring-tools.sh [--print-dir] [--force-build]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The versions are pinned once, in the parent pom, and read from there.
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$REPO_ROOT/pom.xml"; }
HELM_VERSION="${KILN_HELM_VERSION:-$(pom_property helm.version)}"
PROMETHEUS_VERSION="${KILN_PROMETHEUS_VERSION:-$(pom_property prometheus.version)}"
PROMETHEUS_OPERATOR_VERSION="${KILN_PROMETHEUS_OPERATOR_VERSION:-$(pom_property prometheus-operator.version)}"
[[ -n "$HELM_VERSION" ]] || { echo "no <helm.version> in $REPO_ROOT/pom.xml" >&2; exit 1; }
[[ -n "$PROMETHEUS_VERSION" ]] || { echo "no <prometheus.version> in $REPO_ROOT/pom.xml" >&2; exit 1; }
[[ -n "$PROMETHEUS_OPERATOR_VERSION" ]] || { echo "no <prometheus-operator.version> in $REPO_ROOT/pom.xml" >&2; exit 1; }
CACHE_ROOT="${KILN_CACHE_DIR:-$HOME/.cache/kiln}"
HELM_DIR="$CACHE_ROOT/tools/helm-$HELM_VERSION"
PROMETHEUS_DIR="$CACHE_ROOT/tools/prometheus-$PROMETHEUS_VERSION"
# The Prometheus Operator's PodMonitor and PrometheusRule CRDs, for installing the chart with
# monitoring on: taken from the operator's Go module, nothing built.
OPERATOR_CRDS_DIR="$CACHE_ROOT/tools/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION"
OPERATOR_CRDS=(monitoring.coreos.com_podmonitors.yaml monitoring.coreos.com_prometheusrules.yaml)
RECIPE=1 # bump when the way binaries are produced changes, to invalidate old caches

print_dir=false
force_build=false
for arg in "$@"; do
  case "$arg" in
    --print-dir) print_dir=true ;;
    --force-build) force_build=true ;;
    *) echo "unknown argument: $arg (expected --print-dir or --force-build)" >&2; exit 2 ;;
  esac
done

log() { printf '[monitoring-tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# is_complete DIR BINARY...
is_complete() {
  local dir="$1"; shift
  [[ -f "$dir/.complete" ]] && grep -qx "recipe=$RECIPE" "$dir/.complete" || return 1
  local b
  for b in "$@"; do [[ -x "$dir/$b" ]] || return 1; done
}

# Prometheus 3.x publishes module version v0.3XY.Z for release 3.XY.Z.
prometheus_release() {
  local v="${PROMETHEUS_VERSION#v0.}" minor
  minor="${v%%.*}"
  echo "$((minor / 100)).$((minor % 100)).${v#*.}"
}

setup_go() {
  # The official Go tarball installs to /usr/local/go without touching PATH for every shell.
  command -v go >/dev/null || [[ ! -x /usr/local/go/bin/go ]] || PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || {
    echo "Go 1.26+ is needed to build Helm and Prometheus from modules: install it (https://go.dev/doc/install) and put it on PATH" >&2
    return 1
  }
  # Module and build caches live with the binaries so an interrupted cold build resumes
  # (shared with hack/k8s-binaries.sh: most of the Kubernetes client modules are the same).
  export GOMODCACHE="$CACHE_ROOT/go/mod" GOCACHE="$CACHE_ROOT/go/build"
  export GOFLAGS="-mod=mod" CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN_FOR_TOOLS:-auto}"
}

# wrapper NAME: a throwaway module that requires the tool's module, so its packages build
# with exactly the dependency versions the release pins.
wrapper() {
  local work="$CACHE_ROOT/tools/wrapper-$1"
  mkdir -p "$work"
  [[ -f "$work/go.mod" ]] || printf 'module kiln.dev/monitoring-tools/%s\n\ngo 1.26\n' "$1" >"$work/go.mod"
  echo "$work"
}

# The commit a module version was tagged at, where the module proxy reports it (empty otherwise).
module_revision() {
  go mod download -json "$1" | sed -n 's/^\s*"Hash": "\(.*\)",\?$/\1/p' | head -1
}

build_helm() {
  local work
  work="$(wrapper "helm-$HELM_VERSION")"
  log "helm $HELM_VERSION: step 1/2: resolving helm.sh/helm/v3@$HELM_VERSION"
  (cd "$work" && go get "helm.sh/helm/v3/cmd/helm@$HELM_VERSION")
  # Version stamps as Helm's Makefile sets them, including the Kubernetes version that
  # `helm template` assumes, taken from the client-go the release was built with.
  local client_go kube_minor revision pkg ldflags="-s -w"
  client_go="$(cd "$work" && go list -m -f '{{.Version}}' k8s.io/client-go)"
  kube_minor="${client_go#v0.}"; kube_minor="${kube_minor%%.*}"
  revision="$(module_revision "helm.sh/helm/v3@$HELM_VERSION")"
  ldflags+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  [[ -z "$revision" ]] || ldflags+=" -X helm.sh/helm/v3/internal/version.gitCommit=$revision"
  ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$kube_minor"
  done
  log "helm $HELM_VERSION: step 2/2: compiling helm"
  mkdir -p "$work/bin"
  (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$work/bin/helm" helm.sh/helm/v3/cmd/helm)
  mv "$work/bin/helm" "$HELM_DIR/helm"
  printf 'helm=%s\nrecipe=%s\nsource=go-modules\n' "$HELM_VERSION" "$RECIPE" >"$HELM_DIR/.complete"
  log "ready in $HELM_DIR"
  "$HELM_DIR/helm" version --short >&2
}

build_prometheus() {
  local work release module=github.com/prometheus/prometheus
  work="$(wrapper "prometheus-$PROMETHEUS_VERSION")"
  release="$(prometheus_release)"
  log "prometheus $PROMETHEUS_VERSION (release $release): step 1/3: resolving $module@$PROMETHEUS_VERSION (with its cloud service-discovery SDKs: ~2 GB unpacked on a cold cache)"
  (cd "$work" && go get "$module/cmd/prometheus@$PROMETHEUS_VERSION" "$module/cmd/promtool@$PROMETHEUS_VERSION")
  # Version stamps as Prometheus's .promu.yml sets them.
  local revision pkg=github.com/prometheus/common/version ldflags="-s -w"
  revision="$(module_revision "$module@$PROMETHEUS_VERSION")"
  ldflags+=" -X $pkg.Version=$release -X $pkg.Branch=HEAD"
  [[ -z "$revision" ]] || ldflags+=" -X $pkg.Revision=$revision"
  ldflags+=" -X $pkg.BuildUser=kiln -X $pkg.BuildDate=$(date -u +%Y%m%d-%H:%M:%S)"
  mkdir -p "$work/bin"
  local i=1 b
  for b in prometheus promtool; do
    i=$((i + 1))
    log "prometheus $PROMETHEUS_VERSION: step $i/3: compiling $b"
    (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$work/bin/$b" "$module/cmd/$b")
  done
  for b in prometheus promtool; do mv "$work/bin/$b" "$PROMETHEUS_DIR/$b"; done
  printf 'prometheus=%s\nrelease=%s\nrecipe=%s\nsource=go-modules\n' \
    "$PROMETHEUS_VERSION" "$release" "$RECIPE" >"$PROMETHEUS_DIR/.complete"
  log "ready in $PROMETHEUS_DIR"
  "$PROMETHEUS_DIR/prometheus" --version 2>&1 | head -1 >&2
}

fetch_operator_crds() {
  local module=github.com/prometheus-operator/prometheus-operator dir crd
  log "prometheus-operator $PROMETHEUS_OPERATOR_VERSION: downloading $module@$PROMETHEUS_OPERATOR_VERSION for its CRDs"
  dir="$(go mod download -json "$module@$PROMETHEUS_OPERATOR_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",\?$/\1/p')"
  [[ -d "$dir" ]] || { echo "could not download $module@$PROMETHEUS_OPERATOR_VERSION" >&2; return 1; }
  for crd in "${OPERATOR_CRDS[@]}"; do
    install -m 0644 "$dir/example/prometheus-operator-crd/$crd" "$OPERATOR_CRDS_DIR/$crd"
  done
  printf 'prometheus-operator=%s\nrecipe=%s\nsource=go-modules\n' "$PROMETHEUS_OPERATOR_VERSION" "$RECIPE" \
    >"$OPERATOR_CRDS_DIR/.complete"
  log "ready in $OPERATOR_CRDS_DIR"
}

operator_crds_complete() {
  [[ -f "$OPERATOR_CRDS_DIR/.complete" ]] && grep -qx "recipe=$RECIPE" "$OPERATOR_CRDS_DIR/.complete" || return 1
  local crd
  for crd in "${OPERATOR_CRDS[@]}"; do [[ -f "$OPERATOR_CRDS_DIR/$crd" ]] || return 1; done
}

# ---------------------------------------------------------------------------------------
built=false
if ! $force_build && is_complete "$HELM_DIR" helm; then
  log "up to date: $HELM_DIR"
else
  mkdir -p "$HELM_DIR"
  rm -f "$HELM_DIR/.complete"
  setup_go
  log "building helm $HELM_VERSION from Go modules (cold: about 3 minutes on 2 cores)"
  build_helm
  built=true
fi
if ! $force_build && is_complete "$PROMETHEUS_DIR" prometheus promtool; then
  log "up to date: $PROMETHEUS_DIR"
else
  mkdir -p "$PROMETHEUS_DIR"
  rm -f "$PROMETHEUS_DIR/.complete"
  setup_go
  log "building prometheus $PROMETHEUS_VERSION from Go modules (cold: about 5 minutes on 2 cores)"
  build_prometheus
  built=true
fi
if ! $force_build && operator_crds_complete; then
  log "up to date: $OPERATOR_CRDS_DIR"
else
  mkdir -p "$OPERATOR_CRDS_DIR"
  rm -f "$OPERATOR_CRDS_DIR/.complete"
  setup_go
  fetch_operator_crds
fi
if $built; then
  # The compiled packages are only needed to resume an interrupted build; the module
  # downloads are kept for the next version bump.
  log "removing the Go build cache ($(du -sh "$GOCACHE" 2>/dev/null | cut -f1))"
  go clean -cache
fi
if $print_dir; then
  echo "$HELM_DIR"
  echo "$PROMETHEUS_DIR"
  echo "$OPERATOR_CRDS_DIR"
fi
exit 0
