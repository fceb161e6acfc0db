# The cluster's ingress controller and Gateway API implementation: the Gateway
# API's standard CRDs from the pinned Go module, then Traefik from
# ingress/traefik.yaml in its locally built image (images.sh).
# shellcheck shell=bash

TRAEFIK_IMAGE=localhost/vibe/traefik:$TRAEFIK_VERSION
# Where previews answer from the host: Traefik's hostPort on the node's veth address.
INGRESS_ADDRESS=$NODE_VETH_IP:80

# The standard channel's CRDs (its ValidatingAdmissionPolicy is left out, as
# test/support/gateway-api.ts leaves it out).
install_gateway_api() {
  local dir file
  dir=$(cd / && go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -d "$dir/config/crd/standard" ] || die "could not download the Gateway API $GATEWAY_API_VERSION module (go mod download sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION)."
  for file in "$dir"/config/crd/standard/gateway.networking.k8s.io_*.yaml; do
    case $file in *_vap_*) continue ;; esac
    kubectl_admin apply --server-side --force-conflicts --field-manager vibe-cluster -f "$file" >/dev/null
    kubectl_admin wait --for condition=Established --timeout 60s -f "$file" >/dev/null
  done
}

start_ingress_controller() {
  say "starting the ingress controller (Traefik $TRAEFIK_VERSION); previews answer at http://$INGRESS_ADDRESS"
  install_gateway_api
  sed -e "s#__IMAGE__#$TRAEFIK_IMAGE#" -e "s#__NODE_IP__#$NODE_VETH_IP#" "$CLUSTER_SRC/ingress/traefik.yaml" |
    kubectl_admin apply -f - >/dev/null
  kubectl_admin -n traefik rollout status deployment/traefik --timeout 120s >/dev/null ||
    die "Traefik did not become ready in 120 s; see 'kubectl -n traefik logs deployment/traefik'."
  # Programmed means Traefik read the Gateway from the API server and serves its listener.
  kubectl_admin -n traefik wait --for condition=Programmed --timeout 120s gateway/preview >/dev/null ||
    die "Traefik did not program the Gateway traefik/preview in 120 s; see 'kubectl -n traefik logs deployment/traefik'."
}
