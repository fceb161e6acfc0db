#!/usr/bin/env bash
# Starts the local cluster and leaves it running; a no-op when it is healthy.
#   CLUSTER_TIER=full (default)   etcd, apiserver, controller-manager, scheduler,
#                                 containerd (runc + runsc), CNI, kubelet, kube-proxy:
#                                 one node, the NetworkPolicy enforcer (netpol),
#                                 cluster DNS (CoreDNS as kube-dns) and Traefik, the
#                                 ingress controller and Gateway API implementation
#   CLUSTER_TIER=control-plane    etcd, apiserver, controller-manager only
source "$(dirname "$0")/lib/common.sh"
source "$CLUSTER_SRC/lib/pki.sh"
source "$CLUSTER_SRC/lib/control-plane.sh"
source "$CLUSTER_SRC/lib/node.sh"
source "$CLUSTER_SRC/lib/netpol.sh"
source "$CLUSTER_SRC/lib/cluster-dns.sh"
source "$CLUSTER_SRC/lib/ingress.sh"

tier=${CLUSTER_TIER:-full}
case $tier in
  full) wanted=("${control_plane_components[@]}" "${node_components[@]}") ;;
  control-plane) wanted=("${control_plane_components[@]}") ;;
  *) die "CLUSTER_TIER must be 'full' or 'control-plane', not '$tier'." ;;
esac
# apiserver_serves_on ADDRESS: the running API server was started with that bind address.
apiserver_serves_on() {
  is_running kube-apiserver && tr '\0' ' ' <"/proc/$(pid_of kube-apiserver)/cmdline" | grep -q -- "--bind-address $1 "
}
# The node's pods reach the API server on the veth's host end; the control plane alone has no veth,
# but a full cluster already running in this directory serves its clients as it is.
if [ "$tier" = full ] || apiserver_serves_on "$HOST_VETH_IP"; then
  APISERVER_ADDRESS=$HOST_VETH_IP
else
  APISERVER_ADDRESS=127.0.0.1
fi

[ "$(id -u)" = 0 ] || die "the local cluster needs root (network namespaces, mounts, cgroups); run it as root."
need_tool openssl "Install it with 'apt-get install openssl'."
need_tool curl "Install it with 'apt-get install curl'."
if [ "$tier" = full ]; then
  need_tool runc "Install it with 'apt-get install runc'."
  need_tool ip "Install it with 'apt-get install iproute2'."
  need_tool nsenter "Install it with 'apt-get install util-linux'."
  need_tool nft "Install it with 'apt-get install nftables'."
  need_tool node "Install Node.js 20.19 or newer: the NetworkPolicy enforcer is a Node program."
  [ -x /usr/lib/cni/bridge ] || die "the CNI plugins are missing; install them with 'apt-get install containernetworking-plugins'."
fi

# apiserver_misplaced: the running API server is a control plane started alone, on loopback, which
# the node's pods could not reach.
apiserver_misplaced() { is_running kube-apiserver && ! apiserver_serves_on "$APISERVER_ADDRESS"; }

all_healthy=true
for c in "${wanted[@]}"; do healthy "$c" || { all_healthy=false; break; }; done
if apiserver_misplaced; then all_healthy=false; fi
if $all_healthy; then
  say "cluster ($tier) is already up; kubeconfig: $VIBE_CLUSTER_DIR/kubeconfig"
  exit 0
fi

# The network namespace and state dirs are the machine's, the pid files the cluster directory's:
# from another VIBE_CLUSTER_DIR a running cluster would look stale below, and tearing it down would
# take it from everyone using it.
await_exiting "${control_plane_components[@]}" "${node_components[@]}"
if ! is_running kube-apiserver; then
  owner=$(port_owner "$APISERVER_PORT")
  if [[ $owner == kube-apiserver* ]]; then
    pid=${owner##*pid }
    dir=$(tr '\0' '\n' <"/proc/${pid%)}/cmdline" | sed -n 's#/pki/ca\.crt$##p' | head -n1)
    die "a local cluster is already running (${owner}) with VIBE_CLUSTER_DIR=${dir:-another directory}; set VIBE_CLUSTER_DIR to that (its kubeconfig and pid files are there) instead of starting a second cluster."
  fi
fi

# A run that was killed leaves pid files of dead processes, a network
# namespace or mounts behind: clear all of it before starting anew.
stale=()
for c in "${control_plane_components[@]}" "${node_components[@]}"; do
  # The enforcer holds no mounts, namespaces or pods: a dead one is restarted below, and never
  # the reason to tear down a cluster that others may be using.
  [ "$c" = netpol ] && continue
  if [ -f "$PIDS/$c.pid" ] && ! is_running "$c"; then stale+=("$c"); fi
done
# The node's namespace is only ours to clean when this cluster directory runs the node: a
# control-plane cluster started elsewhere (other ports, other state dirs) must leave it alone.
if [ ${#stale[@]} -eq 0 ] && ! is_running kube-apiserver; then
  [ "$tier" = full ] && ip netns list 2>/dev/null | grep -qw "$NODE_NETNS" && stale+=("network namespace $NODE_NETNS")
  grep -q " $VIBE_STATE_DIR/\| $VIBE_RUN_DIR/" /proc/self/mountinfo && stale+=("mounts under $VIBE_STATE_DIR")
fi
if [ ${#stale[@]} -gt 0 ]; then
  say "found a stale cluster from an earlier run (${stale[*]}); cleaning it up first"
  bash "$CLUSTER_SRC/down.sh"
fi

# Every port must be free or already ours.
check_port() {
  local component=$1 port=$2 owner
  is_running "$component" && return 0
  owner=$(port_owner "$port")
  [ -z "$owner" ] || die "port $port, needed by $component, is taken by $owner. Stop that process, or move $component with the VIBE_*_PORT variable in test/cluster/lib/common.sh."
}
check_port etcd "$ETCD_PORT"
check_port etcd "$ETCD_PEER_PORT"
check_port etcd "$ETCD_METRICS_PORT"
check_port kube-apiserver "$APISERVER_PORT"
check_port kube-controller-manager "$KCM_PORT"
if [ "$tier" = full ]; then
  check_port kube-scheduler "$SCHEDULER_PORT"
  check_port kubelet "$KUBELET_PORT"
  check_port kubelet "$KUBELET_HEALTHZ_PORT"
  check_port netpol "$NETPOL_HEALTHZ_PORT"
fi

bash "$CLUSTER_SRC/build.sh" $([ "$tier" = full ] && echo all || echo control-plane)

mkdir -p "$VIBE_CLUSTER_DIR"
make_pki
ln -sfn "$BIN" "$VIBE_CLUSTER_DIR/bin"
cat >"$VIBE_CLUSTER_DIR/env" <<ENV
export KUBECONFIG=$VIBE_CLUSTER_DIR/kubeconfig
export PATH=$VIBE_CLUSTER_DIR/bin:\$PATH
export ETCDCTL_API=3
export ETCDCTL_ENDPOINTS=https://127.0.0.1:$ETCD_PORT
export ETCDCTL_CACERT=$PKI/ca.crt
export ETCDCTL_CERT=$PKI/etcd-client.crt
export ETCDCTL_KEY=$PKI/etcd-client.key
ENV

started=$SECONDS
# The full tier's API server binds the veth's host end: the link comes first.
[ "$tier" = full ] && node_network_up
# Its clients were given the API server's old address: they start again with the new one.
if apiserver_misplaced; then
  say "kube-apiserver does not serve on $APISERVER_ADDRESS; restarting it and its clients there"
  for c in kube-scheduler kube-controller-manager kube-apiserver; do
    pid=$(pid_of "$c" 2>/dev/null) || continue
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    rm -f "$PIDS/$c.pid"
  done
fi
healthy etcd || { say "starting etcd"; start_etcd; }
healthy kube-apiserver || { say "starting kube-apiserver"; start_kube_apiserver; }
healthy kube-controller-manager || { say "starting kube-controller-manager"; start_kube_controller_manager; }
if [ "$tier" = full ]; then
  healthy kube-scheduler || { say "starting kube-scheduler"; start_kube_scheduler; }
  # Before the first pod starts, so that no pod ever runs unfiltered.
  healthy netpol || { say "starting the NetworkPolicy enforcer (netpol)"; start_netpol; }
  healthy containerd || { say "starting containerd in network namespace $NODE_NETNS"; start_containerd; }
  bash "$CLUSTER_SRC/images.sh"
  healthy kubelet || { say "starting kubelet"; start_kubelet; }
  wait_node_ready
  healthy kube-proxy || { say "starting kube-proxy (nftables mode) in network namespace $NODE_NETNS"; start_kube_proxy; }
  say "applying cluster objects and waiting for CoreDNS"
  apply_cluster_objects
  start_ingress_controller
fi
enforcement=
if [ "$tier" = full ]; then enforcement="; Services by kube-proxy, DNS at $CLUSTER_DNS_IP, previews at http://$INGRESS_ADDRESS (Traefik), NetworkPolicy enforced by netpol (log $LOGS/netpol.log)"; fi
say "cluster ($tier) is up in $((SECONDS - started)) s$enforcement; kubeconfig: $VIBE_CLUSTER_DIR/kubeconfig"
