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
echo "chart-check: $CHART lints and renders"
