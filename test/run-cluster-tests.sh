#!/usr/bin/env bash
# Runs every suite that needs the local cluster, on a cluster it starts itself,
# and tears that cluster down afterwards even when a suite fails. The
# destructive cluster-lifecycle suite runs last.
set -uo pipefail
cd "$(dirname "$0")/.."
# Suites that restart or compact parts of the cluster find its state here.
export VIBE_CLUSTER_DIR=${VIBE_CLUSTER_DIR:-$PWD/.cluster}
export KUBECONFIG=$VIBE_CLUSTER_DIR/kubeconfig

teardown() { bash test/cluster/down.sh >/dev/null 2>&1 || true; }
trap teardown EXIT

bash test/cluster/deps.sh || exit 1
# Suites and chart-check render the chart with helm; a cluster that was already up skipped the build.
bash test/cluster/build.sh helm || exit 1
status=0
bash test/chart-check.sh || status=1
# The integration suites are written for the control-plane tier (no pods, no admission policies
# of an installed release), as `make test-integration` runs them; the node joins afterwards.
CLUSTER_TIER=control-plane bash test/cluster/up.sh || exit 1
npx vitest run --project integration --passWithNoTests || status=1
# The Backstage plugins' suites (backstage/, its own workspace) run in a Backstage test backend on the same tier.
npx vitest run --config backstage/vitest.config.ts || status=1
# The reconciler's budgets (requests per environment converging and at rest, RSS; counts and bytes,
# never times) in test/bench/budgets.json, from bench-reconciler at 200 environments on the same tier.
bash test/bench/reconciler-guard.sh || status=1
bash test/cluster/up.sh || exit 1
npx vitest run --project cluster || status=1
npx vitest run --project cluster-lifecycle || status=1
exit $status
