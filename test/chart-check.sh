#!/usr/bin/env bash
# Lints the Helm chart and renders it as users would, with the helm binary the cluster tooling builds
# (test/cluster/build.sh helm). Whether the chart's CRDs match operator/src/api is crds-check's job;
# whether its objects apply and its RBAC suffices is test/e2e's (isolation and lifecycle).
set -euo pipefail
cd "$(dirname "$0")/.."
HELM=${VIBE_CACHE:-$HOME/.cache/vibe-operator}/bin/helm
CHART=charts/vibe-operator
[ -x "$HELM" ] || { echo "chart-check: $HELM is missing; build it with 'bash test/cluster/build.sh helm'." >&2; exit 1; }

# The pod executor (the chart's default) has no usable default image: the chart must say so.
if out=$("$HELM" template vibe "$CHART" 2>&1); then
  echo "chart-check: rendering without sandbox.image succeeded; it must fail and ask for the image." >&2
  exit 1
fi
grep -q 'sandbox.image is required' <<<"$out" || { echo "chart-check: unexpected failure: $out" >&2; exit 1; }

image=(--set sandbox.image=registry.example/vibe/sandbox-runtime:0.1.0)
"$HELM" lint --strict "$CHART" "${image[@]}"
# Each optional branch renders: a model provider with its key Secret, the preview router, no RBAC.
"$HELM" template vibe "$CHART" --namespace vibe-system "${image[@]}" \
  --set model.provider.kind=anthropic --set model.provider.model=claude-sonnet-5-5 \
  --set model.apiKeySecret.name=model-key --set operator.previewRouter=true >/dev/null
routes=$("$HELM" template vibe "$CHART" --namespace vibe-system "${image[@]}" \
  --set operator.previewGateway=gateway-system/previews --set operator.previewRouter=true)
grep -q 'httproutes' <<<"$routes" || { echo "chart-check: previewGateway with previewRouter grants no httproutes." >&2; exit 1; }
grep -q 'previewGateway: gateway-system/previews' <<<"$routes" || { echo "chart-check: previewGateway is not in the operator's config." >&2; exit 1; }
"$HELM" template vibe "$CHART" --namespace vibe-system "${image[@]}" \
  --set rbac.create=false --set sandbox.createNamespace=false >/dev/null
# Consented route annotations reach the environment admission policies as a CEL list.
consent=$("$HELM" template vibe "$CHART" --namespace vibe-system "${image[@]}" \
  --set 'environmentAdmission.routeAnnotations={example.com/rewrite}' --show-only templates/environment-admission.yaml)
grep -q "k in \['example.com/rewrite'\]" <<<"$consent" || { echo "chart-check: routeAnnotations do not reach the admission policies." >&2; exit 1; }

fail() { echo "chart-check: $*" >&2; exit 1; }
# render NAME=VALUE...: the chart rendered with the sandbox image and those values.
render() {
  local sets=() kv
  for kv in "$@"; do sets+=(--set "$kv"); done
  "$HELM" template vibe "$CHART" --namespace vibe-system "${image[@]}" "${sets[@]}"
}
count() { grep -c "^kind: $1\$" <<<"$2" || true; }

# The defaults: CRDs kept on uninstall, two replicas, a PodDisruptionBudget, no ServiceMonitor, a helm test.
out=$(render)
[ "$(count CustomResourceDefinition "$out")" = 2 ] || fail "the default render has no 2 CRDs."
[ "$(grep -c 'helm.sh/resource-policy: keep' <<<"$out")" = 2 ] || fail "the CRDs are not kept on uninstall by default."
grep -q '^  replicas: 2$' <<<"$out" || fail "the default Deployment does not run 2 replicas."
[ "$(count PodDisruptionBudget "$out")" = 1 ] || fail "no PodDisruptionBudget by default."
[ "$(count ServiceMonitor "$out")" = 0 ] || fail "a ServiceMonitor renders without serviceMonitor.enabled."
grep -q 'helm.sh/hook: test' <<<"$out" || fail "no helm test hook."
"$HELM" lint --strict "$CHART" "${image[@]}" --set serviceMonitor.enabled=true --set operator.previewRouter=true >/dev/null
# Every optional branch: CRDs off or not kept, no PDB, a ServiceMonitor with labels, one replica,
# the preview router's port on the Service and as the test's address, an explicit test address.
[ "$(count CustomResourceDefinition "$(render crds.enabled=false)")" = 0 ] || fail "crds.enabled=false still renders CRDs."
out=$(render crds.keep=false)
[ "$(count CustomResourceDefinition "$out")" = 2 ] || fail "crds.keep=false renders no CRDs."
! grep -q 'resource-policy' <<<"$out" || fail "crds.keep=false still keeps the CRDs."
[ "$(count PodDisruptionBudget "$(render podDisruptionBudget.enabled=false)")" = 0 ] || fail "podDisruptionBudget.enabled=false still renders one."
out=$(render serviceMonitor.enabled=true serviceMonitor.labels.release=prometheus)
[ "$(count ServiceMonitor "$out")" = 1 ] || fail "serviceMonitor.enabled=true renders no ServiceMonitor."
grep -q 'release: prometheus' <<<"$out" || fail "serviceMonitor.labels are not on the ServiceMonitor."
grep -q '^  replicas: 1$' <<<"$(render replicaCount=1)" || fail "replicaCount=1 is not the Deployment's replicas."
out=$(render operator.previewRouter=true)
grep -q 'previewRouterAddress: 0.0.0.0:8088' <<<"$out" || fail "the preview router does not listen on the pod's address."
grep -q -- '--preview-address=http://vibe.vibe-system.svc:8088' <<<"$out" || fail "helm test does not go through the preview router."
grep -q -- '--preview-address=http://10.96.0.80' <<<"$(render tests.previewAddress=http://10.96.0.80)" || fail "tests.previewAddress is not the test's address."

# values.schema.json: each wrong value is refused before anything renders, naming the field and why.
rejects=(
  'replicaCount=0|/replicaCount'"'"': minimum: got 0, want 1'
  'replicas=2|additional properties '"'"'replicas'"'"' not allowed'
  'image.pullPolicy=Sometimes|/image/pullPolicy'"'"': value must be one of'
  'operator.executor=runsc|/operator/executor'"'"': value must be '"'"'pod'"'"
  'operator.maxTtl=7 days|/operator/maxTtl'"'"': '"'"'7 days'"'"' does not match'
  'operator.logLevel=verbose|/operator/logLevel'"'"': value must be one of'
  'operator.previewHostTemplate=preview.example.com|/operator/previewHostTemplate'"'"': '"'"'preview.example.com'"'"' does not match'
  'operator.previewGatway=infra/preview|/operator'"'"': additional properties '"'"'previewGatway'"'"' not allowed'
  'sandbox.namespace=Vibe_Sandbox|/sandbox/namespace'"'"': '"'"'Vibe_Sandbox'"'"' does not match'
  'metricsPort=70000|/metricsPort'"'"': maximum: got 70,000, want 65,535'
  'crds.enabled=yes|/crds/enabled'"'"': got string, want boolean'
  'podDisruptionBudget.maxUnavailable=0|/podDisruptionBudget/maxUnavailable'"'"': minimum: got 0, want 1'
  'model.provider.kind=gemini|/model/provider/kind'"'"': value must be one of '"'"'anthropic'"'"', '"'"'openai-compatible'"'"
  'serviceMonitor.interval=often|/serviceMonitor/interval'"'"': '"'"'often'"'"' does not match'
  'tests.previewAddress=traefik:80|/tests/previewAddress'"'"': '"'"'traefik:80'"'"' does not match'
)
for case in "${rejects[@]}"; do
  set_value=${case%%|*} expected=${case#*|}
  if out=$(render "$set_value" 2>&1); then fail "--set $set_value rendered; values.schema.json must refuse it."; fi
  grep -qF -- "$expected" <<<"$out" || fail "--set $set_value was refused without the readable reason \"$expected\": $out"
done
echo "chart-check: $CHART lints and renders every values branch; values.schema.json refuses ${#rejects[@]} wrong values"
