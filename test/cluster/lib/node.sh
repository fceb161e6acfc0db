# The node: a private network namespace with containerd (runtimes runc and
# runsc) and the CNI bridge inside it, and a kubelet registered as one node.
# shellcheck shell=bash

node_network_up() {
  if ip netns list | grep -qw "$NODE_NETNS"; then return 0; fi
  say "creating network namespace $NODE_NETNS and its veth link"
  ip netns add "$NODE_NETNS"
  ip link add "$HOST_VETH" type veth peer name "$NODE_VETH" netns "$NODE_NETNS"
  ip addr add "$HOST_VETH_IP/30" dev "$HOST_VETH"
  ip link set "$HOST_VETH" up
  ip -n "$NODE_NETNS" link set lo up
  ip -n "$NODE_NETNS" addr add "$NODE_VETH_IP/30" dev "$NODE_VETH"
  ip -n "$NODE_NETNS" link set "$NODE_VETH" up
  ip -n "$NODE_NETNS" route add default via "$HOST_VETH_IP"
  ip netns exec "$NODE_NETNS" sysctl -qw net.ipv4.ip_forward=1
  # The host reaches pods (kubelet probes, tests, preview URLs) through the node.
  ip route add "$POD_CIDR" via "$NODE_VETH_IP" dev "$HOST_VETH"
}

write_containerd_config() {
  local dir=$VIBE_CLUSTER_DIR/containerd
  mkdir -p "$dir/cni" "$VIBE_RUN_DIR/runsc"
  cat >"$dir/runsc.toml" <<TOML
binary_name = "$BIN/runsc"
root = "$VIBE_RUN_DIR/runsc"
[runsc_config]
  platform = "systrap"
TOML
  cat >"$dir/cni/10-vibe.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "vibe",
  "plugins": [
    {
      "type": "bridge", "bridge": "vibe0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$POD_CIDR" }]], "routes": [{ "dst": "0.0.0.0/0" }],
                "dataDir": "$VIBE_STATE_DIR/cni" }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
  local cri=io.containerd.cri.v1
  cat >"$dir/config.toml" <<TOML
version = 3
root = "$VIBE_STATE_DIR/containerd"
state = "$VIBE_RUN_DIR/containerd"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."$cri.images"]
  snapshotter = "overlayfs"
  [plugins."$cri.images".pinned_images]
    sandbox = "localhost/vibe/pause:1"
[plugins."$cri.runtime"]
  enable_selinux = false
  # This VM lacks CAP_SYS_RESOURCE: without it runc fails to set oom_score_adj.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins."$cri.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."$cri.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."$cri.runtime".containerd.runtimes.runc.options]
        SystemdCgroup = false
    [plugins."$cri.runtime".containerd.runtimes.runsc]
      runtime_type = "io.containerd.runsc.v1"
      [plugins."$cri.runtime".containerd.runtimes.runsc.options]
        TypeUrl = "io.containerd.runsc.v1.options"
        ConfigPath = "$dir/runsc.toml"
  [plugins."$cri.runtime".cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "$dir/cni"
[plugins."io.containerd.grpc.v1.cri"]
  stream_server_address = "$NODE_VETH_IP"
TOML
}

start_containerd() {
  write_containerd_config
  mkdir -p "$VIBE_STATE_DIR" "$VIBE_RUN_DIR"
  # The shims are found on PATH: ours first, so runsc's shim is the one we built.
  start containerd env PATH="$BIN:$PATH" nsenter --net="/run/netns/$NODE_NETNS" \
    "$BIN/containerd" --config "$VIBE_CLUSTER_DIR/containerd/config.toml"
  wait_healthy containerd 30
}

write_kubelet_config() {
  cat >"$VIBE_CLUSTER_DIR/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $HOST_VETH_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-server.crt
tlsPrivateKeyFile: $PKI/kubelet-server.key
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
# This machine mounts cgroup v1 controllers; kubelet 1.35 refuses them unless told.
failCgroupV1: false
failSwapOn: false
# Pods resolve names through the kube-dns Service (CoreDNS, lib/cluster-dns.sh).
clusterDNS: [$CLUSTER_DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
serializeImagePulls: false
# Images are imported, never pulled: garbage collection would delete them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%}
maxPods: 110
# The kubelet runs on the host, kube-proxy in the node's namespace: these chains
# would be the only trace the node leaves in the host's iptables.
makeIPTablesUtilChains: false
YAML
}

# kubelet puts every pod under one cgroup root, so that cluster-down can find
# and remove what it left; with cgroup v1 that root must exist in every
# controller before kubelet starts.
make_cgroup_root() {
  local controller dir
  for controller in /sys/fs/cgroup/*/; do
    dir=$controller${CGROUP_ROOT#/}
    mkdir -p "$dir"
    if [ -f "$controller/cpuset.cpus" ] && [ -z "$(cat "$dir/cpuset.cpus")" ]; then
      cat "$controller/cpuset.cpus" >"$dir/cpuset.cpus"
      cat "$controller/cpuset.mems" >"$dir/cpuset.mems"
    fi
  done
}

start_kubelet() {
  make_cgroup_root
  write_kubelet_config
  mkdir -p "$VIBE_STATE_DIR/kubelet"
  start kubelet "$BIN/kubelet" --config "$VIBE_CLUSTER_DIR/kubelet.yaml" \
    --kubeconfig "$PKI/kubelet.kubeconfig" --root-dir "$VIBE_STATE_DIR/kubelet" \
    --hostname-override "$NODE_NAME" --node-ip "$HOST_VETH_IP" --v=1
  wait_healthy kubelet 60
}

# kube-proxy in nftables mode, inside the node's namespace: its tables (ip and ip6 kube-proxy) live
# and die with the namespace. The node's InternalIP is the host's end of the veth, which is not an
# address of that namespace, so NodePorts are bound to the namespace's own end instead. Conntrack
# limits and timeouts stay the kernel's: 0 leaves them alone (they are the host's to set, and raising
# nf_conntrack_max needs rights a namespace lacks); oomScoreAdj 0 for the same reason as the shim's.
write_kube_proxy_config() {
  cat >"$VIBE_CLUSTER_DIR/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection:
  kubeconfig: $PKI/kube-proxy.kubeconfig
hostnameOverride: $NODE_NAME
bindAddress: $NODE_VETH_IP
healthzBindAddress: $NODE_VETH_IP:$KUBE_PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$KUBE_PROXY_METRICS_PORT
clusterCIDR: $POD_CIDR
nodePortAddresses: [$NODE_VETH_IP/32]
oomScoreAdj: 0
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
  udpTimeout: 0s
  udpStreamTimeout: 0s
YAML
}

start_kube_proxy() {
  write_kube_proxy_config
  # nft is found on PATH: knftables runs it for every sync.
  start kube-proxy nsenter --net="/run/netns/$NODE_NETNS" "$BIN/kube-proxy" \
    --config "$VIBE_CLUSTER_DIR/kube-proxy.yaml" --v=1
  wait_healthy kube-proxy 60
}

wait_node_ready() {
  local deadline=$((SECONDS + 120))
  until kubectl_admin get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -q True; do
    [ $SECONDS -lt $deadline ] || die "node $NODE_NAME did not become Ready in 120 s; see $LOGS/kubelet.log and $LOGS/containerd.log."
    sleep 1
  done
}

apply_cluster_objects() {
  kubectl_admin apply -f - >/dev/null <<'YAML'
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
YAML
  apply_cluster_dns
}
