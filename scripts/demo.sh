#!/usr/bin/env bash
# `make demo`, after `make cluster-up`: installs the CRDs, runs the operator
# (offline planner, gVisor executor, preview router) in the background, applies
# the web-app example with a 2-minute TTL, follows it to Ready, proves the
# preview URL answers, then shows the TTL teardown. The operator it started is
# stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
VIBE_CLUSTER_DIR=${VIBE_CLUSTER_DIR:-$PWD/.cluster}
export KUBECONFIG=${KUBECONFIG:-$VIBE_CLUSTER_DIR/kubeconfig}
export PATH=$VIBE_CLUSTER_DIR/bin:$PATH
NAMESPACE=${DEMO_NAMESPACE:-demo}
ROUTER=${DEMO_ROUTER_ADDRESS:-127.0.0.1:8088}
TTL=${DEMO_TTL:-2m}
LOG=$(mktemp -t vibe-demo-operator.XXXXXX.log)

say() { printf '\033[1m[demo]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[demo] error:\033[0m %s\n' "$*" >&2; exit 1; }

[ -f "$KUBECONFIG" ] || die "no cluster at $KUBECONFIG; run 'make cluster-up' first."
kubectl get --raw /readyz >/dev/null || die "the API server does not answer; check 'make cluster-status'."

OPERATOR_PID=
cleanup() {
  if [ -n "$OPERATOR_PID" ] && kill -0 "$OPERATOR_PID" 2>/dev/null; then
    say "stopping the operator (pid $OPERATOR_PID)"
    kill -TERM "$OPERATOR_PID"
    wait "$OPERATOR_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

say "importing the example images into the node"
bash test/cluster/images.sh 2>&1 >/dev/null | { grep -v DEPRECATION || true; } >&2

say "installing the CRDs"
kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
kubectl wait --for condition=Established --timeout 60s crd/vibeenvironments.vibe.dev >/dev/null
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f - >/dev/null

say "starting the operator: offline planner, gVisor (runsc) executor, preview router on $ROUTER (log: $LOG)"
node bin/vibe.js operator --namespace "$NAMESPACE" --planner offline --executor runsc \
  --preview-router --preview-router-address "$ROUTER" --expiry-warning 1m --metrics-port 0 >"$LOG" 2>&1 &
OPERATOR_PID=$!
for _ in $(seq 1 60); do
  grep -q '"caches synced; reconciling"' "$LOG" && break
  kill -0 "$OPERATOR_PID" 2>/dev/null || die "the operator exited; see $LOG"
  sleep 1
done
grep -q '"caches synced; reconciling"' "$LOG" || die "the operator did not start within 60 s; see $LOG"

if [ -n "$(kubectl -n "$NAMESPACE" get vibeenvironment web --ignore-not-found -o name)" ]; then
  say "removing the environment an earlier demo left behind"
  kubectl -n "$NAMESPACE" delete vibeenvironment web --wait --timeout 600s >/dev/null
fi
say "applying examples/web-app.yaml with ttl $TTL"
sed "s/^  ttl: .*/  ttl: $TTL/" examples/web-app.yaml | kubectl -n "$NAMESPACE" apply -f - >/dev/null
UID_OF_WEB=$(kubectl -n "$NAMESPACE" get vibeenvironment web -o jsonpath='{.metadata.uid}')

# phase_of: the phase, "gone" when the object no longer exists, "unknown" when the API server does not answer.
phase_of() {
  local out
  out=$(kubectl -n "$NAMESPACE" get vibeenvironment web --ignore-not-found -o jsonpath='{.status.phase}|' 2>/dev/null) ||
    { echo unknown; return; }
  if [ -z "$out" ]; then echo gone; else echo "${out%|}"; fi
}
LAST_PHASE=''
# follow PHASE SECONDS: prints each phase change until PHASE (or "gone"); fails on Failed or timeout.
follow() {
  local until=$1 limit=$2 phase
  for _ in $(seq 1 "$limit"); do
    phase=$(phase_of)
    if [ "$phase" != unknown ] && [ "$phase" != "$LAST_PHASE" ]; then
      printf '  phase: %-16s %s\n' "${phase:-Pending}" \
        "$(kubectl -n "$NAMESPACE" get vibeenvironment web --ignore-not-found -o jsonpath='{.status.message}' 2>/dev/null || true)"
      LAST_PHASE=$phase
    fi
    case "$phase" in "$until") return 0 ;; Failed) return 1 ;; esac
    sleep 1
  done
  return 1
}
follow Ready 300 || die "the environment did not become Ready; see kubectl describe vibeenvironment -n $NAMESPACE web"

URL=$(kubectl -n "$NAMESPACE" get vibeenvironment web -o jsonpath='{.status.previewUrl}')
HOST=$(echo "$URL" | sed -E 's#^https?://([^:/]+).*#\1#')
say "preview URL: $URL"
say "asking the preview router for host $HOST:"
curl -fsS --retry 10 --retry-all-errors --retry-delay 1 -H "Host: $HOST" "http://$ROUTER/" | sed 's/^/  /'

EXPIRES=$(kubectl -n "$NAMESPACE" get vibeenvironment web -o jsonpath='{.status.expiresAt}')
say "the TTL ends at $EXPIRES; watching the teardown"
follow gone 900 || die "the environment was not torn down; see kubectl describe vibeenvironment -n $NAMESPACE web"
TARGET="vibe-$NAMESPACE-web"
namespace_gone() { [ -z "$(kubectl get namespace "$TARGET" --ignore-not-found -o name 2>/dev/null || echo error)" ]; }
for _ in $(seq 1 600); do
  namespace_gone && break
  sleep 1
done
namespace_gone || die "namespace $TARGET is still there"
say "namespace $TARGET and the VibeEnvironment are gone. Events:"
kubectl -n "$NAMESPACE" get events --field-selector "involvedObject.uid=$UID_OF_WEB" \
  --sort-by=.lastTimestamp -o custom-columns=REASON:.reason,MESSAGE:.message | sed 's/^/  /'
