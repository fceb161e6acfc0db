#!/usr/bin/env bash
# `make helm-install`: installs charts/vibe-operator as release vibe in namespace vibe-system on the
# local cluster, with the images `make images` imported into the node, and waits for the rollout.
# Previews go through Traefik (IngressClass traefik) when the cluster runs it, else through the
# operator's own preview router. Arguments go to helm, e.g. `make helm-install HELM_ARGS='--set
# replicaCount=3'`; RELEASE, NAMESPACE and VERSION move the release and the images' tag.
source "$(dirname "$0")/../test/cluster/lib/common.sh"
cd "$REPO_ROOT"
export KUBECONFIG=${KUBECONFIG:-$VIBE_CLUSTER_DIR/kubeconfig}
export PATH=$VIBE_CLUSTER_DIR/bin:$PATH
RELEASE=${RELEASE:-vibe}
NAMESPACE=${NAMESPACE:-vibe-system}
VERSION=${VERSION:-$(node -p "require('./package.json').version")}
HELM=$VIBE_CACHE/bin/helm

[ -f "$KUBECONFIG" ] || die "no cluster at $KUBECONFIG; run 'make cluster-up' first."
kubectl get --raw /readyz >/dev/null || die "the API server does not answer; check 'make cluster-status'."
[ -x "$HELM" ] || bash test/cluster/build.sh helm

# Objects the chart owns that exist before the release become the release's: the CRDs applied with
# `kubectl apply -f crds/`, and the admission policies `make cluster-up` installs so the local cluster
# holds what an install holds. Helm adopts an object that carries its ownership metadata and refuses
# one that does not.
adopt() {
  kubectl annotate --overwrite "$@" "meta.helm.sh/release-name=$RELEASE" \
    "meta.helm.sh/release-namespace=$NAMESPACE" >/dev/null
  kubectl label --overwrite "$@" app.kubernetes.io/managed-by=Helm >/dev/null
}
for crd in vibeenvironments.vibe.dev vibeenvironmentschedules.vibe.dev; do
  kubectl get crd "$crd" >/dev/null 2>&1 && adopt crd "$crd"
done
mapfile -t admission < <("$HELM" template "$RELEASE" charts/vibe-operator --namespace "$NAMESPACE" \
  --set sandbox.image=unused --show-only templates/environment-admission.yaml |
  kubectl get --ignore-not-found -o name -f -)
[ ${#admission[@]} -eq 0 ] || adopt "${admission[@]}"

previews=(--set operator.previewRouter=true)
if kubectl get ingressclass traefik >/dev/null 2>&1; then
  # Traefik answers on the node's address (its hostPort), from the host and from pods alike.
  previews=(--set operator.previewIngressClass=traefik --set operator.previewControllerNamespace=traefik
    --set operator.previewControllerLabels=app.kubernetes.io/name=traefik
    --set "tests.previewAddress=http://$NODE_VETH_IP")
fi

say "helm upgrade --install $RELEASE in $NAMESPACE (images localhost/vibe/*:$VERSION)"
# shellcheck disable=SC2086 # HELM_ARGS is a list of helm arguments
"$HELM" upgrade --install "$RELEASE" charts/vibe-operator --namespace "$NAMESPACE" --create-namespace \
  --set image.repository=localhost/vibe/operator --set "image.tag=$VERSION" \
  --set "sandbox.image=localhost/vibe/sandbox:$VERSION" --set replicaCount=2 \
  "${previews[@]}" ${HELM_ARGS:-} "$@" --wait --timeout 5m
kubectl -n "$NAMESPACE" rollout status "deployment/$RELEASE" --timeout 5m
say "installed; try 'helm test $RELEASE -n $NAMESPACE' and 'kubectl apply -f examples/web-app.yaml'"
