#!/usr/bin/env bash
# Builds the cluster's components from the pinned Go modules in modules/ into
# $VIBE_CACHE/<component>-<version>/bin, once: a finished build leaves a
# .complete marker and is reused by every later checkout on this machine.
# Usage: build.sh all | control-plane | kubernetes | etcd | containerd | gvisor | helm | coredns | traefik
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/traefik-overrides.sh
source "$CLUSTER_SRC/lib/traefik-overrides.sh"

need_tool go "Install Go 1.25 or newer (https://go.dev/dl) to build the cluster components."

build_component() {
  local name=$1 version=$2 hint=$3 ldflags=$4 src=${SRC_DIR:-$CLUSTER_SRC/modules/$1} prepare=${PREPARE:-} tags=${TAGS:-}
  shift 4
  local out
  out=$(component_dir "$name" "$version")
  if [ -f "$out/.complete" ]; then
    say "$name $version: cached in $out"
  else
    # The binaries need under 1 GiB; Go's build cache needs about 4 GiB more.
    need_space "$VIBE_CACHE" 6144
    say "$name $version: building $* ($hint)"
    rm -rf "$out" && mkdir -p "$out/bin"
    local started=$SECONDS
    local log=$VIBE_CACHE/build-$name.log
    (
      [ -z "$prepare" ] || "$prepare" "$src"
      cd "$src"
      # -v names each package as it compiles: the progress a long build needs.
      CGO_ENABLED=0 go build -v -trimpath -tags "$tags" -ldflags "$ldflags" -o "$out/bin/" "$@" 2>&1 |
        tee "$log" | awk -v name="$name" '{ n++; if (n % 100 == 0) printf "[cluster] %s: %d packages compiled\n", name, n > "/dev/stderr" }'
      exit "${PIPESTATUS[0]}"
    ) || { rm -rf "$out"; tail -n 30 "$log" >&2; die "building $name failed (last lines above; full log: $log)."; }
    touch "$out/.complete"
    say "$name $version: built in $((SECONDS - started)) s"
  fi
  mkdir -p "$VIBE_CACHE/bin"
  local bin
  for bin in "$out"/bin/*; do ln -sfn "$bin" "$VIBE_CACHE/bin/$(basename "$bin")"; done
}

# go build names a binary after the last element of its package path; etcd's
# server (go.etcd.io/etcd/server/v3) and gVisor's shim need their real names.
rename_binary() {
  local bin
  bin=$(component_dir "$1" "$2")/bin
  if [ -f "$bin/$3" ]; then mv "$bin/$3" "$bin/$4"; fi
  rm -f "$VIBE_CACHE/bin/$3"
  ln -sfn "$bin/$4" "$VIBE_CACHE/bin/$4"
}

build_kubernetes() {
  local v=$KUBERNETES_VERSION minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  local pkg=k8s.io/component-base/version
  build_component kubernetes "$v" "about 11 minutes cold on 2 cores" \
    "-s -w -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl
}

build_etcd() {
  build_component etcd "$ETCD_VERSION" "about 2 minutes cold" "-s -w" go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3
  rename_binary etcd "$ETCD_VERSION" server etcd
}

# The runsc shim lowers its own oom_score_adj to -999, which needs
# CAP_SYS_RESOURCE; machines like ours (Firecracker VMs) do not grant it, and
# the shim then refuses to start every pod. The build vendors gVisor and raises
# that score to 0: the shim stays as killable as any process, nothing else changes.
prepare_gvisor_source() {
  local src=$1 file
  rm -rf "$src" && mkdir -p "$src"
  cp "$CLUSTER_SRC"/modules/gvisor/{go.mod,go.sum,tools.go} "$src/"
  (cd "$src" && go mod vendor)
  file=$src/vendor/gvisor.dev/gvisor/pkg/shim/v1/manager.go
  grep -q 'oomScoreMax = -999' "$file" ||
    die "the gVisor shim no longer sets oomScoreMax = -999; review prepare_gvisor_source in build.sh for $GVISOR_VERSION."
  sed -i 's/oomScoreMax = -999/oomScoreMax = 0/' "$file"
}

build_gvisor() {
  SRC_DIR=$VIBE_CACHE/src/gvisor-$GVISOR_VERSION PREPARE=prepare_gvisor_source build_component gvisor "$GVISOR_VERSION" "about 5 minutes cold" "-s -w" gvisor.dev/gvisor/runsc gvisor.dev/gvisor/shim
  rename_binary gvisor "$GVISOR_VERSION" shim containerd-shim-runsc-v1
}

# Built without cgo: the btrfs and devmapper snapshotters that need it are
# left out; the node uses overlayfs.
build_containerd() {
  TAGS="no_btrfs no_devmapper no_zfs" build_component containerd "$CONTAINERD_VERSION" "about 3 minutes cold" \
    "-s -w -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
    github.com/containerd/containerd/v2/cmd/containerd github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 \
    github.com/containerd/containerd/v2/cmd/ctr
}

# Traefik builds from a copy of modules/traefik with the local modules that
# lib/traefik-overrides.sh writes (and explains): parts of Traefik's module
# graph that the module proxy does not serve.
prepare_traefik_source() {
  local src=$1 lego_version
  rm -rf "$src" && mkdir -p "$src"
  cp "$CLUSTER_SRC"/modules/traefik/{go.mod,go.sum,tools.go} "$src/"
  lego_version=$(cd "$src" && go list -m -f '{{.Version}}' github.com/go-acme/lego/v5)
  write_traefik_overrides "$src" "$lego_version"
}

build_traefik() {
  SRC_DIR=$VIBE_CACHE/src/traefik-$TRAEFIK_VERSION PREPARE=prepare_traefik_source build_component traefik "$TRAEFIK_VERSION" "about 10 minutes cold" \
    "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" github.com/traefik/traefik/v3/cmd/traefik
}

build_coredns() {
  build_component coredns "$COREDNS_VERSION" "about 5 minutes cold" "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" github.com/coredns/coredns
}

build_helm() { build_component helm "$HELM_VERSION" "about 3 minutes cold" "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" helm.sh/helm/v3/cmd/helm; }

case "${1:-all}" in
  # helm renders the chart for the e2e suites and chart-check; CoreDNS is the node's cluster DNS.
  # traefik is the cluster's ingress controller and Gateway API implementation.
  all) build_etcd; build_containerd; build_gvisor; build_kubernetes; build_coredns; build_helm; build_traefik ;;
  control-plane) build_etcd; build_kubernetes ;;
  kubernetes | etcd | containerd | gvisor | helm | coredns | traefik) "build_$1" ;;
  *) die "unknown component '$1'; use one of: all control-plane kubernetes etcd containerd gvisor helm coredns traefik" ;;
esac
