/**
 * `make bench-plan`: plans the reference intent with the process and runsc executors and prints the
 * figures side by side with their floor, bare `runsc --network=none do true`; then model round-trips
 * and tokens for Code Mode vs tool calling on the sample intents ($VIBE_INTENTS). Prints, never asserts.
 * BENCH_RUNS (default 20) sets the number of timed runs after one warm-up run of each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAgent, type AgentOutcome } from '../../operator/src/agent/loop.js';
import { offlineAuthor } from '../../operator/src/agent/offline-author.js';
import { DEFAULT_POLICY } from '../../operator/src/policy/index.js';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';
import { findRunsc } from '../../operator/src/sandbox/find-runsc.js';
import { processExecutor } from '../../operator/src/sandbox/process-executor.js';
import { runscExecutor } from '../../operator/src/sandbox/runsc-executor.js';
import type { SandboxExecutor } from '../../operator/src/sandbox/types.js';
import type { ConversationCost } from '../replay/measure.js';
import { compareOnSamples, type ModeRow } from './code-mode-vs-tools.js';

const REFERENCE_INTENT =
  'A preview of my API, image ghcr.io/acme/orders-api:pr-42 listening on port 8080, with a Postgres database. Make it public.';
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

interface Figures {
  readonly p50: number;
  readonly p95: number;
  readonly min: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), min: sorted[0]! };
}

async function time(runs: number, work: () => Promise<void> | void): Promise<number[]> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function planWith(executor: SandboxExecutor, sandboxMs: number[]): Promise<void> {
  const outcome: AgentOutcome = await runAgent({
    intent: REFERENCE_INTENT,
    author: offlineAuthor,
    executor,
    policy: DEFAULT_POLICY,
    namespace: 'bench',
    maxAttempts: 1,
  });
  if (!outcome.ok) throw new Error(`the reference intent failed: ${JSON.stringify(outcome.failure)}`);
  sandboxMs.push(outcome.attempts[0]!.gates.find((g) => g.gate === 'sandbox')!.ms);
}

const row = (name: string, f: Figures, floor?: number) =>
  `${name.padEnd(44)} ${f.p50.toFixed(0).padStart(6)} ${f.p95.toFixed(0).padStart(6)} ${f.min.toFixed(0).padStart(6)}` +
  (floor ? `   ${(f.p50 / floor).toFixed(2)}x` : '');

const SAMPLES =
  process.env.VIBE_INTENTS ?? fileURLToPath(new URL('../../../shared/intents/sample.json', import.meta.url));

const tokens = (c: ConversationCost) =>
  c.usage.tokens.inputTokens +
  c.usage.tokens.outputTokens +
  c.usage.tokens.cacheCreationTokens +
  c.usage.tokens.cacheReadTokens;

/** Code Mode against tool calling on the sample intents, through the replay server. */
async function modeTable(): Promise<string[]> {
  if (!existsSync(SAMPLES))
    return [`Code Mode vs tool calling: no sample intents at ${SAMPLES} (set VIBE_INTENTS).`];
  const rows = await compareOnSamples(SAMPLES);
  const sum = (pick: (r: ModeRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
  const line = (name: string, a: number, b: number, c: number, d: number) =>
    `${name.padEnd(52)} ${String(a).padStart(5)} ${String(b).padStart(8)}   ${String(c).padStart(5)} ${String(d).padStart(8)}`;
  return [
    'Model round-trips and tokens on the replay server (anthropic wire format, tokens estimated at 4 chars):',
    `${'intent'.padEnd(52)} ${'code mode'.padStart(14)}   ${'tool calling'.padStart(14)}`,
    `${''.padEnd(52)} ${'trips'.padStart(5)} ${'tokens'.padStart(8)}   ${'trips'.padStart(5)} ${'tokens'.padStart(8)}`,
    ...rows.map((r) =>
      line(
        r.intent.slice(0, 52),
        r.codeMode.roundTrips,
        tokens(r.codeMode),
        r.toolCalling.roundTrips,
        tokens(r.toolCalling),
      ),
    ),
    line(
      `total (${rows.length} intents)`,
      sum((r) => r.codeMode.roundTrips),
      sum((r) => tokens(r.codeMode)),
      sum((r) => r.toolCalling.roundTrips),
      sum((r) => tokens(r.toolCalling)),
    ),
  ];
}

const runsc = findRunsc();
if (!runsc) {
  process.stderr.write(
    'bench-plan: runsc not found; install it with `make cluster-build` or set VIBE_RUNSC.\n',
  );
  process.exit(2);
}
const cache = cacheDir();
const bare = figures(
  await time(RUNS, () => {
    const r = spawnSync(runsc, ['--network=none', 'do', 'true'], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`runsc do true exited with ${r.status}`);
  }),
);
const processSandbox: number[] = [];
const dev = processExecutor({ cacheDir: cache });
const processPlan = figures(await time(RUNS, () => planWith(dev, processSandbox)));
const cold = runscExecutor({ runsc, cacheDir: cache });
const runscSandbox: number[] = [];
const runscPlan = figures(await time(RUNS, () => planWith(cold, runscSandbox)));
// The operator's case: a long-lived executor with a warm pool; each plan waits (untimed) for the
// pool to be full again, as an operator idle between plans would find it.
let ready = 0;
let refilled: (() => void) | undefined;
const pooled = runscExecutor({
  runsc,
  cacheDir: cache,
  poolSize: 1,
  poolObserver: {
    ready: (count) => {
      ready = count;
      if (count > 0) refilled?.();
    },
  },
});
const poolFull = () => (ready > 0 ? Promise.resolve() : new Promise<void>((resolve) => (refilled = resolve)));
const poolSandbox: number[] = [];
await poolFull();
await planWith(pooled, poolSandbox);
const poolSamples: number[] = [];
for (let i = 0; i < RUNS; i++) {
  await poolFull();
  const started = performance.now();
  await planWith(pooled, poolSandbox);
  poolSamples.push(performance.now() - started);
}
const poolPlan = figures(poolSamples);
await pooled.close?.();

process.stdout.write(
  [
    `reference intent: ${REFERENCE_INTENT}`,
    `runs: ${RUNS} each after one warm-up; milliseconds; ratio = p50 / bare runsc p50`,
    'cold: the one-shot CLI case (boots its container per plan); warm pool: the operator case, a runner booted and waiting',
    '',
    `${'measure'.padEnd(44)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'min'.padStart(6)}   ratio`,
    row('bare runsc --network=none do true (floor)', bare),
    row('plan, process executor (whole pipeline)', processPlan, bare.p50),
    row('  of which the sandbox gate', figures(processSandbox.slice(1)), bare.p50),
    row('plan, runsc executor, cold (whole pipeline)', runscPlan, bare.p50),
    row('  of which the sandbox gate', figures(runscSandbox.slice(1)), bare.p50),
    row('plan, runsc executor, warm pool (whole pipeline)', poolPlan, bare.p50),
    row('  of which the sandbox gate', figures(poolSandbox.slice(1)), bare.p50),
    '',
    ...(await modeTable()),
    '',
  ].join('\n'),
);
