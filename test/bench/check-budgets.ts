/**
 * The CI guard of bench-reconciler: compares the JSON result a run wrote (BENCH_RESULT) with the
 * budgets in test/bench/budgets.json and exits 1 when a figure exceeds its budget. Counts and bytes
 * only: wall-clock figures vary with the machine and are never budgeted.
 *
 *   npx tsx test/bench/check-budgets.ts result.json [budgets.json]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Budgets {
  environments: number;
  requestsPerEnvironmentConverging: number;
  requestsAtRest: number;
  rssBytes: number;
}

type Result = Pick<Budgets, Exclude<keyof Budgets, 'environments'>> & { environments: number };

const [resultFile, budgetsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'budgets.json')] =
  process.argv.slice(2);
if (!resultFile) {
  process.stderr.write('usage: check-budgets.ts result.json [budgets.json]\n');
  process.exit(2);
}
const result = JSON.parse(readFileSync(resultFile, 'utf8')) as Result;
const budgets = JSON.parse(readFileSync(budgetsFile, 'utf8')) as Budgets;

const checks: Array<{ what: string; figure: number; budget: number; show: (n: number) => string }> = [
  {
    what: 'API requests per environment, converging',
    figure: result.requestsPerEnvironmentConverging,
    budget: budgets.requestsPerEnvironmentConverging,
    show: (n) => n.toFixed(2),
  },
  {
    what: 'API requests at rest (whole window)',
    figure: result.requestsAtRest,
    budget: budgets.requestsAtRest,
    show: String,
  },
  {
    what: 'operator RSS after converging',
    figure: result.rssBytes,
    budget: budgets.rssBytes,
    show: (n) => `${(n / 2 ** 20).toFixed(1)} MiB`,
  },
];

let failed = result.environments !== budgets.environments;
if (failed) {
  process.stdout.write(
    `the result is for ${result.environments} environments; the budgets are for ${budgets.environments}\n`,
  );
}
for (const { what, figure, budget, show } of checks) {
  const over = !(figure <= budget);
  failed ||= over;
  process.stdout.write(`${over ? 'OVER' : 'ok  '}  ${what}: ${show(figure)} (budget ${show(budget)})\n`);
}
if (failed) {
  process.stdout.write(
    `\nbench-reconciler exceeds its budgets in ${path.relative(process.cwd(), budgetsFile)}: ` +
      'find the new requests in the per-resource breakdown it printed, or the memory in its heap figures.\n',
  );
}
process.exitCode = failed ? 1 : 0;
