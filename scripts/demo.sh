#!/usr/bin/env bash
# `make demo`, after `make cluster-up`: builds and imports the example images and the
# operator's and sandbox's images (`make images`), installs the chart as release vibe in
# vibe-system (`make helm-install`: two replicas, offline planner, each script in a gVisor
# sandbox pod, previews through the cluster's Traefik, official image names mapped to the local
# images), applies the web + postgres + redis example with a 2-minute TTL, follows it to Ready,
# fetches the preview page (what the app read from its database and its cache), then shows the
# TTL teardown. The release stays installed: `helm uninstall vibe -n vibe-system` removes it.
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

say() { printf '\033[1m[demo]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[demo] error:\033[0m %s\n' "$*" >&2; exit 1; }

[ -f "$KUBECONFIG" ] || die "no cluster at $KUBECONFIG; run 'make cluster-up' first."
kubectl get --raw /readyz >/dev/null || die "the API server does not answer; check 'make cluster-status'."
kubectl get ingressclass traefik >/dev/null 2>&1 ||
  die "the cluster runs no Traefik (a control-plane-only cluster?); run 'make cluster-up' for the full cluster."

say "importing the example images into the node (postgres, redis and the demo app are built on first use)"
bash examples/images.sh 2>&1 >/dev/null | { grep -v DEPRECATION || true; } >&2

say "building the operator's and the sandbox's images and importing them into the node (make images)"
make --no-print-directory images 2>&1 >/dev/null | { grep -v DEPRECATION || true; } >&2

say "installing the chart: release vibe in vibe-system, offline planner, scripts in gVisor sandbox pods"
make --no-print-directory helm-install HELM_ARGS="--set operator.expiryWarning=1m \
  --set-string operator.imageMirrors=docker.io/library/=localhost/vibe/" 2>&1 | sed 's/^/  /'
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f - >/dev/null

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
say "the operator stays installed (helm list -n vibe-system); 'helm uninstall vibe -n vibe-system' removes it"
