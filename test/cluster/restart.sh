#!/usr/bin/env bash
# Restarts one running component (for tests of recovery): restart.sh kube-apiserver
source "$(dirname "$0")/lib/common.sh"
source "$CLUSTER_SRC/lib/pki.sh"
source "$CLUSTER_SRC/lib/control-plane.sh"
source "$CLUSTER_SRC/lib/node.sh"
name=${1:-}
case $name in
  etcd | kube-apiserver | kube-controller-manager | kube-scheduler | containerd | kubelet | kube-proxy) ;;
  *) die "usage: restart.sh etcd|kube-apiserver|kube-controller-manager|kube-scheduler|containerd|kubelet|kube-proxy" ;;
esac
is_running "$name" || die "$name is not running; start the cluster with 'make cluster-up'."
pid=$(pid_of "$name")
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$pid" 2>/dev/null || true
"start_${name//-/_}"
say "$name restarted (pid $(pid_of "$name"))"
