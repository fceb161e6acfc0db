import { describe, expect, it } from 'vitest';
import type { AuthorRequest, ScriptAuthor } from '../agent/script-author.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../api/vibe-environment.js';
import { DEFAULT_POLICY } from '../policy/index.js';
import type { SandboxExecutor } from '../sandbox/types.js';
import { AgentPlanner } from './agent-planner.js';
import type { AttemptStore, StoredAttempt } from './attempt-store.js';
import { PlanFailedError, type PlanInput } from './planner.js';

const script = (image: string) =>
  `import { webService } from '@vibe/sdk';\nwebService('web', { image: '${image}' });\n`;

const deployment = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    template: {
      spec: {
        automountServiceAccountToken: false,
        containers: [{ name: 'web', image, securityContext: { capabilities: { drop: ['ALL'] } } }],
      },
    },
  },
});

/** Runs no code: the manifests follow from the image named in the script. */
const executor: SandboxExecutor = {
  name: 'process',
  unsafe: true,
  async run({ source }) {
    const image = /image: '([^']+)'/.exec(source)![1]!;
    return { ok: true, manifests: [deployment(image)], logs: [], durationMs: 1 };
  },
};

function author(images: string[]): ScriptAuthor & { requests: AuthorRequest[] } {
  const requests: AuthorRequest[] = [];
  return {
    name: 'scripted',
    requests,
    async write(request) {
      requests.push(request);
      return {
        ok: true,
        script: script(images[requests.length - 1]!),
        usage: { roundTrips: 1, inputTokens: 100, outputTokens: 10 },
      };
    },
  };
}

function memoryStore(): Pick<AttemptStore, 'attempts' | 'saveAttempt'> & {
  records: Map<number, StoredAttempt>;
} {
  const records = new Map<number, StoredAttempt>();
  return {
    records,
    attempts: async () => [...records.values()].sort((a, b) => a.attempt - b.attempt),
    saveAttempt: async (_env, _inputs, record) => void records.set(record.attempt, structuredClone(record)),
  };
}

const env: VibeEnvironment = {
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: 'web', namespace: 'team', uid: 'u1' },
  spec: parseVibeEnvironmentSpec({ intent: 'a web app', budget: { maxAttempts: 3, maxTokens: 1000 } }),
};
const input: PlanInput = {
  environment: 'team/web',
  intent: 'a web app',
  targetNamespace: 'vibe-team-web',
  object: env,
  inputs: 'abc',
  maxAttempts: 3,
};
const signal = new AbortController().signal;

function planner(a: ScriptAuthor, store: ReturnType<typeof memoryStore>) {
  return new AgentPlanner({ id: 'agent/test', authorFor: () => a, executor, policy: DEFAULT_POLICY, store });
}

describe('AgentPlanner', () => {
  it('stores each attempt and replays it instead of asking the author again', async () => {
    const store = memoryStore();
    const first = author(['ghcr.io/acme/web:1']);
    const plan = await planner(first, store).plan(input, signal);
    expect(plan).toMatchObject({ attempt: 1, usage: { tokens: 110 } });
    expect(store.records.get(1)).toMatchObject({ script: script('ghcr.io/acme/web:1'), author: 'scripted' });

    const again = author([]);
    const replayed = await planner(again, store).plan(input, signal);
    expect(again.requests).toHaveLength(0);
    expect(replayed.script).toBe(plan.script);
    expect(replayed.usage).toEqual({ tokens: 110, cost: '0' });
  });

  it('feeds rollout failures of the applied attempt to the next one', async () => {
    const store = memoryStore();
    await planner(author(['ghcr.io/acme/missing:1']), store).plan(input, signal);
    const runtime = [
      { gate: 'rollout', code: 'ImagePullBackOff', object: 'Deployment/web', message: 'image not found' },
    ] as unknown as StoredAttempt['runtime'];
    store.records.set(1, { ...store.records.get(1)!, runtime });

    const fixer = author(['ghcr.io/acme/web:1']);
    const fixed = await planner(fixer, store).plan(input, signal);
    expect(fixer.requests).toHaveLength(1);
    expect(fixer.requests[0]).toMatchObject({
      attempt: 2,
      previous: { script: script('ghcr.io/acme/missing:1'), diagnostics: runtime },
    });
    expect(fixed).toMatchObject({ attempt: 2, usage: { tokens: 220 } });

    const restarted = author([]);
    expect((await planner(restarted, store).plan(input, signal)).script).toBe(fixed.script);
    expect(restarted.requests).toHaveLength(0);
  });

  it('fails once rollout fixes spent the attempt budget', async () => {
    const store = memoryStore();
    const runtime = [
      { gate: 'rollout', code: 'CrashLoopBackOff', message: 'exit 1' },
    ] as unknown as StoredAttempt['runtime'];
    for (const attempt of [1, 2, 3]) {
      store.records.set(attempt, {
        attempt,
        author: 'scripted',
        script: script(`x:${attempt}`),
        diagnostics: [],
        runtime,
      });
    }
    const err = await planner(author([]), store)
      .plan(input, signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanFailedError);
    expect(err).toMatchObject({ code: 'VIBE_AGENT_BUDGET_EXHAUSTED', attempts: 3 });
    expect((err as Error).message).toContain('exit 1');
  });
});
