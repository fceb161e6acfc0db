#!/usr/bin/env bash
# Prints each component's health; exits non-zero when any started one is unhealthy.
source "$(dirname "$0")/lib/common.sh"
bad=0
for c in "${control_plane_components[@]}" "${node_components[@]}"; do
  if healthy "$c"; then
    printf '  %-24s healthy (pid %s)\n' "$c" "$(pid_of "$c")"
  elif is_running "$c"; then
    printf '  %-24s UNHEALTHY (pid %s; log %s)\n' "$c" "$(pid_of "$c")" "$LOGS/$c.log"; bad=1
  elif [ -f "$PIDS/$c.pid" ]; then
    printf '  %-24s DEAD (stale pid file; make cluster-up cleans up)\n' "$c"; bad=1
  else
    printf '  %-24s not started\n' "$c"
  fi
done
if healthy kube-apiserver; then
  kubectl_admin get nodes -o wide 2>/dev/null | sed 's/^/  /'
fi
exit $bad
