#!/usr/bin/env bash
# Stops every process the local cluster started and removes its state: pods,
# shims, sandboxes, mounts, cgroups, the node's network namespace (with the
# veth, the bridge, every iptables rule, kube-proxy's and the NetworkPolicy
# enforcer's nftables tables inside it) and the state dirs, with the images
# imported into containerd.
source "$(dirname "$0")/lib/common.sh"

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Processes of ours that no pid file names: containerd's shims, gVisor's
# sandboxes and gofers (all named by our run dir on their command lines), the
# pods' own processes (all inside our cgroup root), and components of this
# cluster whose pid file a second start overwrote (a built binary, or the
# enforcer, whose command line names this cluster's directory).
our_other_pids() {
  local p cmdline
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = "$$" ] && continue
    cmdline=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    if [[ $cmdline == *"$VIBE_RUN_DIR/"* ]]; then
      echo "${p#/proc/}"
    elif grep -q ":$CGROUP_ROOT/" "$p/cgroup" 2>/dev/null; then
      echo "${p#/proc/}"
    elif [[ $cmdline == *"$VIBE_CLUSTER_DIR/"* ]] &&
      { [[ $(readlink "$p/exe" 2>/dev/null) == "$VIBE_CACHE/"* ]] || [[ $cmdline == *"/test/cluster/netpol/main.ts "* ]]; }; then
      echo "${p#/proc/}"
    fi
  done
}

for c in kube-proxy netpol kubelet kube-scheduler kube-controller-manager kube-apiserver containerd etcd; do
  pid=$(pid_of "$c" 2>/dev/null) || continue
  [ -n "$pid" ] && { say "stopping $c (pid $pid)"; stop_pid "$pid"; }
  rm -f "$PIDS/$c.pid"
done
# Our processes and everything they started, taken while the parents live: a child gVisor starts
# while a sandbox boots (its /proc umounter, a systrap stub) names neither our run dir nor our
# cgroup, and once orphaned nothing would tie it to this cluster any more.
with_descendants() {
  local -A children=()
  local pid ppid queue=("$@")
  while read -r pid ppid; do children[$ppid]+=" $pid"; done < <(ps -e -o pid=,ppid=)
  while [ ${#queue[@]} -gt 0 ]; do
    pid=${queue[0]}
    queue=("${queue[@]:1}")
    echo "$pid"
    # shellcheck disable=SC2206
    queue+=(${children[$pid]:-})
  done | sort -u
}

for round in $(seq 1 20); do
  # shellcheck disable=SC2046
  pids=$(with_descendants $(our_other_pids))
  [ -z "$pids" ] && break
  if [ "$round" = 20 ]; then
    for pid in $pids; do
      say "warning: pid $pid survived SIGKILL ($(grep -E '^(State|PPid):' "/proc/$pid/status" 2>/dev/null | tr -s '\t\n' '  ')wchan $(cat "/proc/$pid/wchan" 2>/dev/null)): $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-160)"
    done
    break
  fi
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 0.3
done

# Mounts: deepest first, so that parents unmount cleanly.
{ grep -E " ($VIBE_STATE_DIR|$VIBE_RUN_DIR)/" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
done

if ip netns list 2>/dev/null | grep -qw "$NODE_NETNS"; then
  say "deleting network namespace $NODE_NETNS"
  ip netns delete "$NODE_NETNS"
fi
ip link show "$HOST_VETH" >/dev/null 2>&1 && ip link delete "$HOST_VETH"

for controller in /sys/fs/cgroup/*/ /sys/fs/cgroup/unified/; do
  [ -d "$controller${CGROUP_ROOT#/}" ] || continue
  find "$controller${CGROUP_ROOT#/}" -depth -type d -exec rmdir {} \; 2>/dev/null || true
done

rm -rf "$VIBE_STATE_DIR" "$VIBE_RUN_DIR"
rm -rf "$VIBE_CLUSTER_DIR"
say "cluster is down"
