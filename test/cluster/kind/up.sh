#!/usr/bin/env bash
# For machines WITH Docker: a kind cluster whose node runs gVisor too. The
# runsc and containerd-shim-runsc-v1 we build are mounted into the kind node,
# containerd gets a `runsc` runtime, and RuntimeClass `gvisor` points at it.
# Machines without a Docker engine (like the project's CI) use `make cluster-up`.
source "$(dirname "$0")/../lib/common.sh"

need_tool docker "kind needs a Docker engine; without one, use 'make cluster-up' (the local cluster)."
need_tool kind "Install kind (https://kind.sigs.k8s.io) or use 'make cluster-up'."
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable; start it, or use 'make cluster-up'."

bash "$CLUSTER_SRC/build.sh" gvisor
name=${KIND_CLUSTER_NAME:-vibe}
config=$(mktemp)
sed -e "s|@RUNSC@|$(readlink -f "$BIN/runsc")|" -e "s|@SHIM@|$(readlink -f "$BIN/containerd-shim-runsc-v1")|" \
  -e "s|@KUBERNETES_VERSION@|$KUBERNETES_VERSION|" "$CLUSTER_SRC/kind/cluster.yaml" >"$config"
kind create cluster --name "$name" --config "$config" --kubeconfig "$VIBE_CLUSTER_DIR/kubeconfig"
rm -f "$config"
"$BIN/kubectl" --kubeconfig "$VIBE_CLUSTER_DIR/kubeconfig" apply -f - <<'YAML'
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
YAML
say "kind cluster '$name' is up with RuntimeClass gvisor; kubeconfig: $VIBE_CLUSTER_DIR/kubeconfig"
