#!/usr/bin/env bash
# bench-reconciler's CI variant: 200 environments, a 10 s quiet window, no churn, no restart, no timed
# teardown (the namespace controller deletes in the background), then
# check-budgets.ts against test/bench/budgets.json. Fails when a budget is exceeded; never on time.
set -euo pipefail
cd "$(dirname "$0")/../.."
result=$(mktemp --suffix=.json)
trap 'rm -f "$result"' EXIT
BENCH_RESULT=$result BENCH_STEADY_MS=10000 BENCH_CHURN=0 BENCH_RESTART=0 BENCH_TEARDOWN=0 \
  npx tsx test/bench/reconciler.ts "$(node -p "require('./test/bench/budgets.json').environments")" 16
npx tsx test/bench/check-budgets.ts "$result"
