# The NetworkPolicy enforcer (test/cluster/netpol): a Node process that keeps one nftables table in
# the node's network namespace in step with the cluster's NetworkPolicies. The bridge CNI enforces
# none; without it pods of different environments could reach each other.
# shellcheck shell=bash

# Pods talk to each other across the bridge vibe0; br_netfilter hands such bridged IPv4 traffic to
# the inet hooks the enforcer's table uses. The setting belongs to the node's namespace.
enable_bridge_netfilter() {
  ip netns exec "$NODE_NETNS" test -e /proc/sys/net/bridge/bridge-nf-call-iptables ||
    die "this kernel has no br_netfilter, so traffic between pods on the bridge cannot be filtered; load it with 'modprobe br_netfilter'."
  ip netns exec "$NODE_NETNS" sysctl -qw net.bridge.bridge-nf-call-iptables=1
}

start_netpol() {
  [ -d "$REPO_ROOT/node_modules/tsx" ] ||
    die "the NetworkPolicy enforcer runs on the project's Node packages, which are not installed; run 'make setup' (npm ci) first."
  enable_bridge_netfilter
  # tsx is resolved from the working directory, so the enforcer runs from the checkout's root.
  start netpol env -C "$REPO_ROOT" node --import tsx "$CLUSTER_SRC/netpol/main.ts" \
    --kubeconfig "$VIBE_CLUSTER_DIR/kubeconfig" --netns "$NODE_NETNS" --healthz-port "$NETPOL_HEALTHZ_PORT" \
    --node-address "$HOST_VETH_IP" --node-address "$NODE_VETH_IP" --node-address "$BRIDGE_IP"
  wait_healthy netpol 30
}

