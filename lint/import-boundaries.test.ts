/**
 * The architecture rule bites: deliberately wrong imports, linted with the repository's own
 * eslint.config.js as `make lint` lints, fail with the rule's message; the right arrows pass.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

/** The architecture rule's messages for `code` as if it were the file `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'architecture/import-boundaries')
    .map((m) => m.message);
}

const use = (spec: string) => `import * as wrong from '${spec}';\nexport const used = wrong;\n`;

describe('architecture/import-boundaries', () => {
  it.each([
    ['operator/src/environment/wrong-arrow.ts', '../sandbox/errors.js', 'environment may not import sandbox'],
    ['operator/src/cli/tools/wrong-arrow.ts', '../../main.js', 'cli may not import start'],
    ['operator/src/models/wrong-arrow.ts', '../environment/index.js', 'models may not import environment'],
    [
      'operator/src/reconciler/wrong-arrow.ts',
      '../server/http-server.js',
      'reconciler may not import server',
    ],
    ['operator/src/agent/wrong-arrow.ts', '../models/gateway.js', 'behind the room operator/src/models'],
    ['operator/src/api/wrong-arrow.ts', '../errors/policy.js', 'behind the room operator/src/errors'],
    [
      'operator/src/main-wrong.ts',
      './environment/cluster/applier.js',
      'behind the room operator/src/environment',
    ],
    [
      'operator/src/environment/wrong-arrow.ts',
      './planning/planner.js',
      'behind the room operator/src/environment/planning',
    ],
    [
      'operator/src/environment/cluster/wrong-arrow.ts',
      '../planning/index.js',
      'environment/cluster may not import environment/planning',
    ],
    [
      'operator/src/environment/planning/wrong-arrow.ts',
      '../settings.js',
      'environment/planning may not import the lifecycle above it',
    ],
    ['operator/src/environment/planning/wrong-arrow.ts', './index.js', "imports its own room's index"],
    [
      'sandbox-runtime/sdk/wrong-arrow.ts',
      '../../operator/src/api/group.js',
      'sandbox-runtime may not import api',
    ],
  ])('%s importing %s fails', async (file, spec, why) => {
    const errors = await boundaryErrors(file, use(spec));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(why);
  });

  it.each([
    ['operator/src/environment/right-arrow.ts', '../agent/checks.js'],
    ['operator/src/environment/right-arrow.ts', './planning/index.js'],
    ['operator/src/environment/cluster/right-arrow.ts', '../readiness/index.js'],
    ['operator/src/environment/readiness/right-arrow.ts', '../objects.js'],
    ['operator/src/agent/right-arrow.ts', '../models/index.js'],
    ['operator/src/sandbox/right-arrow.ts', '../errors/index.js'],
    ['operator/src/vibe-right.ts', './cli/main.js'],
    ['operator/src/cli/tools/right-arrow.ts', '../../environment/index.js'],
    ['test/integration/right-arrow.test.ts', '../../operator/src/environment/index.js'],
  ])('%s importing %s passes', async (file, spec) => {
    expect(await boundaryErrors(file, use(spec))).toEqual([]);
  });
});
