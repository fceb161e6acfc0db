# Shared by the cluster scripts: paths, versions, logging and small checks.
# shellcheck shell=bash
set -euo pipefail
CLUSTER_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_ROOT=$(cd "$CLUSTER_SRC/../.." && pwd)
# shellcheck source=../versions.env
. "$CLUSTER_SRC/versions.env"
VIBE_CACHE=${VIBE_CACHE:-$HOME/.cache/vibe-operator}
# One cluster per machine: every checkout (and every git worktree) that sets
# VIBE_CLUSTER_DIR to the same directory shares it.
VIBE_CLUSTER_DIR=${VIBE_CLUSTER_DIR:-$REPO_ROOT/.cluster}
# Runtime state that holds mounts and sockets lives outside the checkout.
VIBE_RUN_DIR=${VIBE_RUN_DIR:-/run/vibe-operator}
VIBE_STATE_DIR=${VIBE_STATE_DIR:-/var/lib/vibe-operator}
NODE_NETNS=vibe-node
NODE_NAME=vibe-node

say() { printf '\033[1m[cluster]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[cluster] error:\033[0m %s\n' "$*" >&2; exit 1; }

need_tool() {
  local tool=$1 hint=$2
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed. $hint"
}

# need_space DIR MIB: refuses to start a build that would fill the disk halfway.
need_space() {
  local dir=$1 mib=$2 free
  mkdir -p "$dir"
  free=$(df -Pm "$dir" | awk 'NR==2 {print $4}')
  [ "$free" -ge "$mib" ] || die "only ${free} MiB free under $dir; the build needs about ${mib} MiB. Free space or set VIBE_CACHE to a larger disk."
}

# port_owner PORT: prints the process listening on a TCP port, if any.
port_owner() {
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n1
}

# install_debian_packages PACKAGE...: installs those not yet installed, with apt-get.
install_debian_packages() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them; install their equivalents by hand."
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

component_dir() { echo "$VIBE_CACHE/$1-$2"; }

# Loopback ports; each can be moved with the environment variable named beside it.
ETCD_PORT=${VIBE_ETCD_PORT:-2379}
ETCD_PEER_PORT=${VIBE_ETCD_PEER_PORT:-2380}
# kubeadm's choice: beside the client and peer ports, so that a second cluster's moved ports
# (a control plane on 12379, say) never land on this one's metrics.
ETCD_METRICS_PORT=${VIBE_ETCD_METRICS_PORT:-$((ETCD_PORT + 2))}
APISERVER_PORT=${VIBE_APISERVER_PORT:-6443}
KCM_PORT=${VIBE_KCM_PORT:-10257}
SCHEDULER_PORT=${VIBE_SCHEDULER_PORT:-10259}
KUBELET_PORT=${VIBE_KUBELET_PORT:-10250}
KUBELET_HEALTHZ_PORT=${VIBE_KUBELET_HEALTHZ_PORT:-10248}
# The NetworkPolicy enforcer's health, on the host, where nothing else takes kube-proxy's usual port.
NETPOL_HEALTHZ_PORT=${VIBE_NETPOL_HEALTHZ_PORT:-10256}
# kube-proxy's, on the node namespace's end of the veth (health; moved off its usual 10256, which
# the enforcer has) and that namespace's loopback (metrics).
KUBE_PROXY_HEALTHZ_PORT=${VIBE_KUBE_PROXY_HEALTHZ_PORT:-10266}
KUBE_PROXY_METRICS_PORT=${VIBE_KUBE_PROXY_METRICS_PORT:-10249}

# The node's network: a veth pair joins the host to the node namespace, where
# containerd, the CNI bridge and every pod live.
HOST_VETH=vibe-host
NODE_VETH=vibe-node0
HOST_VETH_IP=10.250.0.1
NODE_VETH_IP=10.250.0.2
POD_CIDR=10.244.0.0/24
# The CNI bridge's own address, the first of POD_CIDR: the pods' gateway.
BRIDGE_IP=10.244.0.1
SERVICE_CIDR=10.96.0.0/16
# The kube-dns Service's ClusterIP, which every pod's resolv.conf names.
CLUSTER_DNS_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local
CGROUP_ROOT=/vibe-node

BIN=$VIBE_CACHE/bin
PKI=$VIBE_CLUSTER_DIR/pki
PIDS=$VIBE_CLUSTER_DIR/pids
LOGS=$VIBE_CLUSTER_DIR/logs
CONTAINERD_SOCK=$VIBE_RUN_DIR/containerd/containerd.sock
# Where the API server serves: up.sh picks it per tier (the host end of the node's veth for the full
# tier, so pods reach it through the kubernetes Service; loopback for the control plane alone); the
# other scripts read it back from the kubeconfig.
APISERVER_ADDRESS=$(sed -n 's#^ *server: https://\([0-9.]*\):.*#\1#p' "$VIBE_CLUSTER_DIR/kubeconfig" 2>/dev/null | head -n1 || true)
APISERVER_ADDRESS=${APISERVER_ADDRESS:-127.0.0.1}

control_plane_components=(etcd kube-apiserver kube-controller-manager)
node_components=(kube-scheduler netpol containerd kubelet kube-proxy)

pid_of() { [ -f "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid"; }
# alive NAME: its recorded process exists and is not a zombie awaiting its reaper.
alive() {
  local pid state
  pid=$(pid_of "$1") || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}

# is_running NAME: alive, and still that component (not a reused pid).
is_running() {
  alive "$1" && tr '\0' ' ' <"/proc/$(pid_of "$1")/cmdline" 2>/dev/null | grep -q -- "$1"
}

# await_exiting NAME...: a process killed a moment ago keeps its ports while it exits, after its
# command line is already gone; wait (up to 10 s each) until such recorded ones have finished, so
# they read as stale instead of as another cluster holding the ports.
await_exiting() {
  local c n
  for c in "$@"; do
    for ((n = 0; n < 100; n++)); do
      alive "$c" && ! is_running "$c" && [ -z "$(tr -d '\0' <"/proc/$(pid_of "$c")/cmdline" 2>/dev/null)" ] || break
      sleep 0.1
    done
  done
}

kubectl_admin() { "$BIN/kubectl" --kubeconfig "$VIBE_CLUSTER_DIR/kubeconfig" "$@"; }

# healthy NAME: the component's own health endpoint answers ok.
healthy() {
  local name=$1
  is_running "$name" || return 1
  case $name in
    etcd) curl -sf --max-time 2 --cacert "$PKI/ca.crt" --cert "$PKI/etcd-client.crt" --key "$PKI/etcd-client.key" \
            "https://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"' ;;
    kube-apiserver) kubectl_admin get --raw /readyz >/dev/null 2>&1 ;;
    kube-controller-manager) curl -skf --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz" >/dev/null ;;
    kube-scheduler) curl -skf --max-time 2 "https://127.0.0.1:$SCHEDULER_PORT/healthz" >/dev/null ;;
    containerd) "$BIN/ctr" --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 ;;
    kubelet) curl -sf --max-time 2 "http://127.0.0.1:$KUBELET_HEALTHZ_PORT/healthz" >/dev/null ;;
    netpol) curl -sf --max-time 2 "http://127.0.0.1:$NETPOL_HEALTHZ_PORT/healthz" >/dev/null ;;
    kube-proxy) curl -sf --max-time 2 "http://$NODE_VETH_IP:$KUBE_PROXY_HEALTHZ_PORT/healthz" >/dev/null ;;
  esac
}

# wait_healthy NAME SECONDS: fails with the component's last log lines.
wait_healthy() {
  local name=$1 deadline=$((SECONDS + $2))
  until healthy "$name"; do
    # Not is_running: until the background shell has exec'd the component, its command line is
    # still the script's own, which would read as "exited" under load. The pid was just written.
    if ! alive "$name"; then
      tail -n 20 "$LOGS/$name.log" >&2 || true
      die "$name exited while starting; its log is $LOGS/$name.log (last lines above)."
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$LOGS/$name.log" >&2; die "$name did not become healthy within $2 s; see $LOGS/$name.log."; }
    sleep 0.5
  done
}

# start NAME COMMAND...: runs a component in its own session, logging to a file. It keeps none of
# the caller's other descriptors: a lock the caller holds (`flock FILE up.sh`) would otherwise stay
# held by the component for as long as the cluster runs.
start() {
  local name=$1
  shift
  mkdir -p "$PIDS" "$LOGS"
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$PIDS/$name.pid"
}
