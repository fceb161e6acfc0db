# vibe-operator — every entry point a user or CI needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export VIBE_CACHE ?= $(HOME)/.cache/vibe-operator
KUBECONFIG_LOCAL := $(CURDIR)/.cluster/kubeconfig
# The images' tag; the chart's appVersion is the same number.
VERSION ?= $(shell node -p "require('./package.json').version")

.PHONY: help setup demo test test-unit test-integration test-cluster lint typecheck crds crds-check errors errors-check chart-check \
        cluster-deps cluster-build cluster-up cluster-down cluster-status kind-up images helm-install \
        bench-reconciler bench-reconciler-guard bench-first-apply bench-plan bench-e2e bench-wake soak bench-mcp backstage-setup typecheck-backstage test-backstage bench-pool

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

setup: node_modules ## Install Node dependencies
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

demo: setup cluster-up ## Local cluster, operator, an example environment to Ready
	bash scripts/demo.sh

test: setup backstage-setup lint typecheck typecheck-backstage crds-check errors-check test-unit ## Everything CI runs: static checks, unit, then integration and cluster suites on a local cluster
	bash test/run-cluster-tests.sh

test-unit: setup ## Unit tests (no cluster)
	npx vitest run --project unit

test-integration: setup cluster-deps ## Integration tests (starts the control-plane tier if needed)
	CLUSTER_TIER=control-plane bash test/cluster/up.sh
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx vitest run --project integration

test-cluster: setup cluster-deps ## Cluster and e2e tests (starts the full cluster if needed)
	bash test/cluster/up.sh
	bash test/cluster/build.sh helm
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx vitest run --project cluster

# The Backstage plugins have their own lockfile (docs/adr/0091): the operator package and a root
# `npm ci` carry none of Backstage's dependencies. The one native module the test backend needs
# (better-sqlite3, its database) is built from the node headers when its install script did not build it.
# The entity card's suite drives Debian's Chromium.
backstage-setup: setup backstage/node_modules ## Install the Backstage plugins' dependencies (backstage/, own lockfile) and Chromium
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
backstage/node_modules: backstage/package.json backstage/package-lock.json
	npm ci --prefix backstage --no-audit --no-fund
	test -f backstage/node_modules/better-sqlite3/build/Release/better_sqlite3.node || \
	  npm_config_nodedir=$$(node -p "require('path').resolve(process.execPath, '../..')") \
	  npm rebuild --prefix backstage better-sqlite3
	@touch backstage/node_modules

typecheck-backstage: backstage-setup ## TypeScript strict type-check of the Backstage plugins
	npx tsc -p backstage/tsconfig.json --noEmit

test-backstage: backstage-setup cluster-deps ## Backstage suites: a real Backstage backend on the control-plane tier
	CLUSTER_TIER=control-plane bash test/cluster/up.sh
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx vitest run --config backstage/vitest.config.ts

lint: setup ## ESLint and Prettier
	npx eslint .
	npx prettier --check .

typecheck: setup ## TypeScript strict type-check
	npx tsc -p tsconfig.json --noEmit

crds: setup ## Regenerate crds/ and the chart's copy from operator/src/api
	npx tsx operator/src/api/generate-crds.ts --write

crds-check: setup ## Fail when crds/ or the chart's copy drifted from operator/src/api
	npx tsx operator/src/api/generate-crds.ts --check

errors: setup ## Regenerate docs/errors.md from the error catalogue (operator/src/errors)
	npx tsx operator/src/errors/errors-doc.ts --write

errors-check: setup ## Fail when a VIBE_* code in the source is missing from the catalogue or docs/errors.md, or defined twice
	npx tsx operator/src/errors/errors-doc.ts --check

chart-check: ## helm lint and helm template of charts/vibe-operator (builds helm on first use, needs Go)
	bash test/cluster/build.sh helm
	bash test/chart-check.sh

cluster-deps: ## Install the Debian packages the local cluster needs
	bash test/cluster/deps.sh

cluster-build: cluster-deps ## Build (or reuse from the cache) every cluster component
	bash test/cluster/build.sh all

cluster-up: setup cluster-deps ## Start the local cluster (CLUSTER_TIER=control-plane for API only)
	bash test/cluster/up.sh

cluster-down: ## Stop the local cluster and remove its state
	bash test/cluster/down.sh

cluster-status: ## Print each cluster component's health
	bash test/cluster/status.sh

images: setup ## Build the cluster's, the operator's and the sandbox's images without Docker and import them into the node
	bash test/cluster/images.sh
	npx tsx operator/src/image/build-images.ts --version $(VERSION)

helm-install: ## Install charts/vibe-operator into vibe-system on the local cluster with the images of `make images`
	VERSION=$(VERSION) bash scripts/helm-install.sh

kind-up: ## For machines with Docker: a kind cluster with gVisor (cannot run here)
	bash test/cluster/kind/up.sh

bench-reconciler: setup cluster-deps ## Benchmark: 1,000 VibeEnvironments on the control-plane tier
	CLUSTER_TIER=control-plane bash test/cluster/up.sh
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx tsx test/bench/reconciler.ts

bench-reconciler-guard: setup cluster-deps ## CI guard: bench-reconciler at 200 against test/bench/budgets.json (control-plane tier)
	CLUSTER_TIER=control-plane bash test/cluster/up.sh
	KUBECONFIG=$(KUBECONFIG_LOCAL) bash test/bench/reconciler-guard.sh

bench-first-apply: setup cluster-deps ## Benchmark: create -> the Deployment applied vs kubectl apply (control-plane tier)
	CLUSTER_TIER=control-plane bash test/cluster/up.sh
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx tsx test/bench/first-apply.ts

bench-plan: setup ## Benchmark: planning under runsc vs bare runsc
	npx tsx test/bench/plan.ts

bench-pool: setup cluster-up ## Benchmark: planning with the warm sandbox pool vs bare runsc and a bare gVisor pod start
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx tsx test/bench/pool.ts

bench-mcp: setup cluster-deps ## Benchmark: MCP Code Mode vs classic tool calls for a multi-step task (control-plane tier)
	CLUSTER_TIER=control-plane bash test/cluster/up.sh
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx tsx test/bench/mcp-code-mode.ts

bench-e2e: setup cluster-up ## Benchmark: apply -> Ready vs kubectl apply
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx tsx test/bench/e2e.ts

soak: setup cluster-up ## Soak: about SOAK_ENVS (200, at most SOAK_AWAKE=70 with pods) environments churning for DURATION (1h) with operator kills and an API server restart; asserts no leak
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx tsx test/soak/soak.ts

bench-wake: setup cluster-up ## Benchmark: a sleeping environment's first request -> first byte vs kubectl scale from zero
	KUBECONFIG=$(KUBECONFIG_LOCAL) npx tsx test/bench/wake.ts
