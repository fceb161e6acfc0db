#!/usr/bin/env bash
# `make demo`, after `make cluster-up`: builds and imports the example images,
# installs the CRDs, runs the operator (offline planner, gVisor executor,
# previews through the cluster's Traefik, official image names mapped to the
# local images) in the background, applies the web + postgres + redis example
# with a 2-minute TTL, follows it to Ready, fetches the preview page (what the
# app read from its database and its cache), then shows the TTL teardown. The
# operator it started is stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
VIBE_CLUSTER_DIR=${VIBE_CLUSTER_DIR:-$PWD/.cluster}
export KUBECONFIG=${KUBECONFIG:-$VIBE_CLUSTER_DIR/kubeconfig}
export PATH=$VIBE_CLUSTER_DIR/bin:$PATH
NAMESPACE=${DEMO_NAMESPACE:-demo}
EXAMPLE=examples/web-postgres-redis.yaml
NAME=$(sed -n 's/^  name: //p' "$EXAMPLE" | head -n1)
# Traefik's hostPort on the node (test/cluster/lib/ingress.sh).
INGRESS=${DEMO_INGRESS_ADDRESS:-10.250.0.2:80}
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

say "importing the example images into the node (postgres, redis and the demo app are built on first use)"
bash test/cluster/images.sh 2>&1 >/dev/null | { grep -v DEPRECATION || true; } >&2
bash examples/images.sh 2>&1 >/dev/null | { grep -v DEPRECATION || true; } >&2

say "installing the CRDs"
kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
kubectl wait --for condition=Established --timeout 60s crd/vibeenvironments.vibe.dev >/dev/null
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f - >/dev/null

say "starting the operator: offline planner, gVisor (runsc) executor, previews through Traefik at $INGRESS (log: $LOG)"
node bin/vibe.js operator --namespace "$NAMESPACE" --planner offline --executor runsc \
  --preview-ingress-class traefik --preview-controller-namespace traefik \
  --preview-controller-labels app.kubernetes.io/name=traefik \
  --image-mirrors docker.io/library/=localhost/vibe/ --expiry-warning 1m --metrics-port 0 >"$LOG" 2>&1 &
OPERATOR_PID=$!
for _ in $(seq 1 60); do
  grep -q '"caches synced; reconciling"' "$LOG" && break
  kill -0 "$OPERATOR_PID" 2>/dev/null || die "the operator exited; see $LOG"
  sleep 1
done
grep -q '"caches synced; reconciling"' "$LOG" || die "the operator did not start within 60 s; see $LOG"

if [ -n "$(kubectl -n "$NAMESPACE" get vibeenvironment "$NAME" --ignore-not-found -o name)" ]; then
  say "removing the environment an earlier demo left behind"
  kubectl -n "$NAMESPACE" delete vibeenvironment "$NAME" --wait --timeout 600s >/dev/null
fi
say "applying $EXAMPLE with ttl $TTL"
sed "s/^  ttl: .*/  ttl: $TTL/" "$EXAMPLE" | kubectl -n "$NAMESPACE" apply -f - >/dev/null
UID_OF_ENV=$(kubectl -n "$NAMESPACE" get vibeenvironment "$NAME" -o jsonpath='{.metadata.uid}')

# phase_of: the phase, "gone" when the object no longer exists, "unknown" when the API server does not answer.
phase_of() {
  local out
  out=$(kubectl -n "$NAMESPACE" get vibeenvironment "$NAME" --ignore-not-found -o jsonpath='{.status.phase}|' 2>/dev/null) ||
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
        "$(kubectl -n "$NAMESPACE" get vibeenvironment "$NAME" --ignore-not-found -o jsonpath='{.status.message}' 2>/dev/null || true)"
      LAST_PHASE=$phase
    fi
    case "$phase" in "$until") return 0 ;; Failed) return 1 ;; esac
    sleep 1
  done
  return 1
}
follow Ready 300 || die "the environment did not become Ready; see kubectl describe vibeenvironment -n $NAMESPACE $NAME"

URL=$(kubectl -n "$NAMESPACE" get vibeenvironment "$NAME" -o jsonpath='{.status.previewUrl}')
HOST=$(echo "$URL" | sed -E 's#^https?://([^:/]+).*#\1#')
say "preview URL: $URL"
say "asking Traefik for host $HOST: the demo app reports what it read from its database and its cache"
curl -fsS --retry 30 --retry-all-errors --retry-delay 1 -H "Host: $HOST" "http://$INGRESS/" | sed 's/^/  /'

EXPIRES=$(kubectl -n "$NAMESPACE" get vibeenvironment "$NAME" -o jsonpath='{.status.expiresAt}')
say "the TTL ends at $EXPIRES; watching the teardown"
follow gone 900 || die "the environment was not torn down; see kubectl describe vibeenvironment -n $NAMESPACE $NAME"
TARGET="vibe-$NAMESPACE-$NAME"
namespace_gone() { [ -z "$(kubectl get namespace "$TARGET" --ignore-not-found -o name 2>/dev/null || echo error)" ]; }
for _ in $(seq 1 600); do
  namespace_gone && break
  sleep 1
done
namespace_gone || die "namespace $TARGET is still there"
say "namespace $TARGET and the VibeEnvironment are gone. Events:"
kubectl -n "$NAMESPACE" get events --field-selector "involvedObject.uid=$UID_OF_ENV" \
  --sort-by=.lastTimestamp -o custom-columns=REASON:.reason,MESSAGE:.message | sed 's/^/  /'
