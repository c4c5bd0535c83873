#!/usr/bin/env bash
# Provisions the Kubernetes control-plane binaries the tests run as local processes:
# kube-apiserver, kube-scheduler, kube-controller-manager, kubectl and etcd, into
#   ${KILN_CACHE_DIR:-$HOME/.cache/kiln}/k8s/v<version>/
# It downloads and checksums the official release where that is reachable, and otherwise
# builds the same release from Go modules. A second run is a no-op.
#
# Usage: hack/k8s-binaries.sh [--print-dir] [--force-build]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The version is pinned once, in the parent pom, and read from there.
KUBE_VERSION="${KILN_KUBE_VERSION:-$(sed -n 's:.*<kubernetes.version>\(.*\)</kubernetes.version>.*:\1:p' "$REPO_ROOT/pom.xml")}"
[[ -n "$KUBE_VERSION" ]] || { echo "no <kubernetes.version> in $REPO_ROOT/pom.xml" >&2; exit 1; }
CACHE_ROOT="${KILN_CACHE_DIR:-$HOME/.cache/kiln}"
TARGET="$CACHE_ROOT/k8s/$KUBE_VERSION"
STAMP="$TARGET/.complete"
BINARIES=(kube-apiserver kube-scheduler kube-controller-manager kubectl etcd)
RECIPE=2 # bump when the way binaries are produced changes, to invalidate old caches

print_dir=false
force_build=false
for arg in "$@"; do
  case "$arg" in
    --print-dir) print_dir=true ;;
    --force-build) force_build=true ;;
    *) echo "unknown argument: $arg (expected --print-dir or --force-build)" >&2; exit 2 ;;
  esac
done

log() { printf '[k8s-binaries %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

is_complete() {
  [[ -f "$STAMP" ]] && grep -qx "recipe=$RECIPE" "$STAMP" || return 1
  local b
  for b in "${BINARIES[@]}"; do [[ -x "$TARGET/$b" ]] || return 1; done
}

case "$(uname -m)" in
  x86_64) ARCH=amd64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

finish() {
  printf 'kube=%s\nrecipe=%s\nsource=%s\n' "$KUBE_VERSION" "$RECIPE" "$1" >"$STAMP"
  log "ready in $TARGET ($1)"
  "$TARGET/kube-apiserver" --version >&2
  "$TARGET/etcd" --version | head -1 >&2
}

# ---------------------------------------------------------------------------------------
# Official downloads (where reachable)
# ---------------------------------------------------------------------------------------
etcd_version_for_kube() {
  # etcd as pinned by this Kubernetes release's go.mod
  curl -fsSL --max-time 30 "https://raw.githubusercontent.com/kubernetes/kubernetes/$KUBE_VERSION/go.mod" |
    awk '$1 == "go.etcd.io/etcd/server/v3" { print $2 }'
}

try_download() (
  local base="https://dl.k8s.io/release/$KUBE_VERSION/bin/linux/$ARCH"
  curl -fsS --max-time 10 -o /dev/null "$base/kubectl.sha256" 2>/dev/null || return 1
  local work b etcd_version
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  for b in kube-apiserver kube-scheduler kube-controller-manager kubectl; do
    log "downloading $b $KUBE_VERSION"
    curl -fSL --retry 3 -o "$work/$b" "$base/$b" || return 1
    echo "$(curl -fsSL --retry 3 "$base/$b.sha256")  $work/$b" | sha256sum --check --quiet || return 1
  done
  etcd_version="$(etcd_version_for_kube)" || return 1
  [[ -n "$etcd_version" ]] || return 1
  local tarball="etcd-$etcd_version-linux-$ARCH.tar.gz"
  local release="https://github.com/etcd-io/etcd/releases/download/$etcd_version"
  log "downloading etcd $etcd_version"
  curl -fSL --retry 3 -o "$work/$tarball" "$release/$tarball" || return 1
  curl -fsSL --retry 3 "$release/SHA256SUMS" | grep " $tarball\$" | sed "s|$tarball|$work/$tarball|" |
    sha256sum --check --quiet || return 1
  tar -xzf "$work/$tarball" -C "$work" --strip-components=1 "etcd-$etcd_version-linux-$ARCH/etcd"
  for b in "${BINARIES[@]}"; do install -m 0755 "$work/$b" "$TARGET/$b"; done
)

# ---------------------------------------------------------------------------------------
# Build from Go modules
# ---------------------------------------------------------------------------------------
build_from_modules() {
  # The official Go tarball installs to /usr/local/go without touching PATH for every shell.
  command -v go >/dev/null || [[ ! -x /usr/local/go/bin/go ]] || PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || {
    echo "Go 1.26+ is needed to build Kubernetes from modules: install it (https://go.dev/doc/install) and put it on PATH" >&2
    return 1
  }
  # Module and build caches live with the binaries so an interrupted cold build resumes.
  export GOMODCACHE="$CACHE_ROOT/go/mod" GOCACHE="$CACHE_ROOT/go/build"
  export GOFLAGS="-mod=mod" CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN_FOR_KUBE:-auto}"
  local staging_minor="v0.${KUBE_VERSION#v1.}"
  local work="$CACHE_ROOT/k8s/wrapper-$KUBE_VERSION"
  mkdir -p "$work"
  log "building $KUBE_VERSION from Go modules in $work (cold: 5-10 minutes on 2 cores)"

  log "step 1/4: reading k8s.io/kubernetes@$KUBE_VERSION's go.mod"
  local upstream_mod
  upstream_mod="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')"
  [[ -f "$upstream_mod" ]] || { echo "could not fetch k8s.io/kubernetes@$KUBE_VERSION go.mod" >&2; return 1; }

  # The kubernetes module replaces its k8s.io/* staging modules with local paths; point each
  # at its published version instead (v0.<minor>.<patch> for v1.<minor>.<patch>).
  {
    echo "module kiln.dev/k8s-binaries"
    echo
    grep -E '^(go|godebug) ' "$upstream_mod"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    awk -v v="$staging_minor" '$2 == "=>" && $3 ~ /^\.\/staging\// { printf "replace %s => %s %s\n", $1, $1, v }' "$upstream_mod"
  } >"$work/go.mod"
  local replaces
  replaces="$(grep -c '^replace ' "$work/go.mod")"
  (( replaces > 20 )) || { echo "expected the staging replaces in $upstream_mod, found $replaces" >&2; return 1; }
  log "step 2/4: resolving modules ($replaces staging replaces; downloads ~600 MB on a cold cache)"
  # Every module at exactly the version the release pins: nothing is upgraded.
  local etcd_version
  etcd_version="$(awk '$1 == "go.etcd.io/etcd/server/v3" { print $2 }' "$upstream_mod")"
  [[ -n "$etcd_version" ]] || { echo "no go.etcd.io/etcd/server/v3 in $upstream_mod" >&2; return 1; }
  (cd "$work" && go get "k8s.io/kubernetes@$KUBE_VERSION" "go.etcd.io/etcd/server/v3@$etcd_version")
  log "etcd $etcd_version (as pinned by Kubernetes $KUBE_VERSION)"

  # Version stamps as upstream's hack/lib/version.sh sets them, so binaries report the
  # release rather than v0.0.0-master.
  local minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  local date ldflags="-s -w" pkg
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  done

  local out="$work/bin" i=0 b
  mkdir -p "$out"
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    i=$((i + 1))
    log "step 3/4: compiling $b ($i/4)"
    (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$out/$b" "k8s.io/kubernetes/cmd/$b")
  done
  log "step 4/4: compiling etcd"
  (cd "$work" && go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
  for b in "${BINARIES[@]}"; do mv "$out/$b" "$TARGET/$b"; done
  # The compiled packages are only needed to resume an interrupted build; the module
  # downloads are kept for the next version bump.
  log "removing the Go build cache ($(du -sh "$GOCACHE" | cut -f1))"
  go clean -cache
}

# ---------------------------------------------------------------------------------------
if ! $force_build && is_complete; then
  log "up to date: $TARGET"
else
  mkdir -p "$TARGET"
  rm -f "$STAMP"
  if ! $force_build && try_download; then
    finish download
  else
    $force_build || log "official release downloads are not reachable; building from Go modules"
    build_from_modules
    finish "go-modules"
  fi
fi
$print_dir && echo "$TARGET"
exit 0
