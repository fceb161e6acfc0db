import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy/index.js';
import type { SandboxExecutor, SandboxRequest, SandboxResult } from '../sandbox/types.js';
import { runAgent } from './loop.js';
import type { AuthorRequest, ScriptAuthor } from './script-author.js';

const GOOD = `import { webService } from '@vibe/sdk';\nwebService('api', { image: 'ghcr.io/acme/api:1' });`;
const TYPE_ERROR = `import { webService } from '@vibe/sdk';\nwebService('api', { image: 1 });`;

/** An executor that returns canned manifests for each script: the loop's logic is what is tested here. */
function cannedExecutor(
  results: Record<string, SandboxResult>,
): SandboxExecutor & { runs: SandboxRequest[] } {
  const runs: SandboxRequest[] = [];
  return {
    name: 'process',
    unsafe: true,
    runs,
    async run(request) {
      runs.push(request);
      return (
        results[request.source] ?? {
          ok: false,
          kind: 'runtime',
          code: 'VIBE_TEST_UNKNOWN',
          message: 'unknown script',
          logs: [],
          durationMs: 0,
        }
      );
    },
  };
}

function scriptedAuthor(scripts: string[]): ScriptAuthor & { requests: AuthorRequest[] } {
  const requests: AuthorRequest[] = [];
  return {
    name: 'scripted',
    requests,
    async write(request) {
      requests.push(request);
      const script = scripts[Math.min(request.attempt - 1, scripts.length - 1)]!;
      return {
        ok: true,
        script,
        usage: { roundTrips: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.001 },
      };
    },
  };
}

const hardened = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    template: {
      spec: {
        automountServiceAccountToken: false,
        containers: [
          { name: 'api', image: 'ghcr.io/acme/api:1', securityContext: { capabilities: { drop: ['ALL'] } } },
        ],
      },
    },
  },
};
const PRIVILEGED = `import { apiObject } from '@vibe/sdk';\napiObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } });`;
const privileged = structuredClone(hardened);
privileged.spec.template.spec.containers[0]!.securityContext = {
  privileged: true,
  capabilities: { drop: ['ALL'] },
} as never;

const ok = (manifests: Record<string, unknown>[]): SandboxResult => ({
  ok: true,
  manifests,
  logs: [],
  durationMs: 1,
});

describe('agent loop', () => {
  it('feeds type errors back and succeeds once the script is fixed, keeping every attempt', async () => {
    const author = scriptedAuthor([TYPE_ERROR, GOOD]);
    const executor = cannedExecutor({ [GOOD]: ok([hardened]) });
    const outcome = await runAgent({
      intent: 'api',
      author,
      executor,
      policy: DEFAULT_POLICY,
      maxAttempts: 4,
    });
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts.map((a) => a.gates.map((g) => `${g.gate}:${g.ok}`))).toEqual([
      ['author:true', 'typecheck:false'],
      ['author:true', 'typecheck:true', 'sandbox:true', 'policy:true'],
    ]);
    expect(author.requests[1]!.previous?.diagnostics[0]).toMatchObject({
      gate: 'typecheck',
      code: 'TS2322',
      line: 2,
    });
    expect(executor.runs).toHaveLength(1);
    expect(outcome.usage).toEqual({ roundTrips: 2, inputTokens: 200, outputTokens: 20, costUsd: 0.002 });
    expect(outcome.attempts[0]!.scriptSha256).toMatch(/^[a-f0-9]{64}$/);
  });

  it('turns policy violations into diagnostics naming the object and the field', async () => {
    const author = scriptedAuthor([PRIVILEGED, GOOD]);
    const executor = cannedExecutor({ [PRIVILEGED]: ok([privileged]), [GOOD]: ok([hardened]) });
    const outcome = await runAgent({
      intent: 'api',
      author,
      executor,
      policy: DEFAULT_POLICY,
      namespace: 'env-1',
      maxAttempts: 4,
    });
    expect(outcome.ok).toBe(true);
    expect(author.requests[1]!.previous?.diagnostics).toEqual([
      expect.objectContaining({
        gate: 'policy',
        code: 'VIBE_POLICY_PRIVILEGED',
        object: 'Deployment/api',
        field: 'spec.template.spec.containers[0].securityContext.privileged',
      }),
    ]);
    expect((outcome.manifests[0]!.metadata as { namespace: string }).namespace).toBe('env-1');
  });

  it('asks for a rewrite after the same diagnostics twice and stops when stuck', async () => {
    const author = scriptedAuthor([TYPE_ERROR]);
    const outcome = await runAgent({
      intent: 'api',
      author,
      executor: cannedExecutor({}),
      policy: DEFAULT_POLICY,
      maxAttempts: 10,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatchObject({ code: 'VIBE_AGENT_STUCK', gate: 'typecheck', refused: false });
    expect(author.requests.map((r) => r.rewrite)).toEqual([false, false, true]);
    expect(outcome.attempts).toHaveLength(3);
  });

  it('stops at the attempt budget', async () => {
    const scripts = [1, 2, 3].map(
      (n) =>
        `import { webService } from '@vibe/sdk';\nwebService('api', { image: ${n} });\n${'\n'.repeat(n)}`,
    );
    const failing = scripts.map((s, i) => s.replace('webService(', `webService${i}(`));
    const outcome = await runAgent({
      intent: 'api',
      author: scriptedAuthor(failing),
      executor: cannedExecutor({}),
      policy: DEFAULT_POLICY,
      maxAttempts: 2,
    });
    expect(outcome.failure?.code).toBe('VIBE_AGENT_BUDGET_EXHAUSTED');
    expect(outcome.attempts).toHaveLength(2);
  });

  it('reports a refused intent as refused without running anything', async () => {
    const author: ScriptAuthor = {
      name: 'refuser',
      write: async () => ({
        ok: false,
        refused: true,
        code: 'VIBE_PLAN_REFUSED',
        message: 'refused: "cluster-admin"',
      }),
    };
    const executor = cannedExecutor({});
    const outcome = await runAgent({ intent: 'x', author, executor, policy: DEFAULT_POLICY, maxAttempts: 3 });
    expect(outcome.failure).toMatchObject({ refused: true, code: 'VIBE_PLAN_REFUSED' });
    expect(executor.runs).toHaveLength(0);
  });

  it('runs the server-side dry-run last and feeds its findings back', async () => {
    const author = scriptedAuthor([GOOD]);
    const seen: unknown[] = [];
    const outcome = await runAgent({
      intent: 'api',
      author,
      executor: cannedExecutor({ [GOOD]: ok([hardened]) }),
      policy: DEFAULT_POLICY,
      maxAttempts: 1,
      dryRun: async (manifests) => {
        seen.push(...manifests);
        return [
          {
            gate: 'dry-run',
            code: 'VIBE_DRY_RUN_REJECTED',
            object: 'Deployment/api',
            message: 'the API server refused it: quota exceeded',
          },
        ];
      },
    });
    expect(seen).toHaveLength(1);
    expect(outcome.failure).toMatchObject({ gate: 'dry-run', code: 'VIBE_AGENT_BUDGET_EXHAUSTED' });
  });
});
