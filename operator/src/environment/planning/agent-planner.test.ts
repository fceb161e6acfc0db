import { describe, expect, it, vi } from 'vitest';
import { AuthorUnavailableError, type AuthorRequest, type ScriptAuthor } from '../../agent/script-author.js';
import { parseVibeEnvironmentSpec, type VibeEnvironment } from '../../api/vibe-environment.js';
import { DEFAULT_POLICY } from '../../policy/index.js';
import type { SandboxExecutor } from '../../sandbox/types.js';
import { AgentPlanner } from './agent-planner.js';
import type { AttemptStore, StoredAttempt } from './attempt-store.js';
import { CODE } from '../../errors/index.js';
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

const USAGE = { roundTrips: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.00125 };

function author(images: string[]): ScriptAuthor & { requests: AuthorRequest[] } {
  const requests: AuthorRequest[] = [];
  return {
    name: 'scripted',
    requests,
    async write(request) {
      requests.push(request);
      return { ok: true, script: script(images[requests.length - 1]!), usage: USAGE };
    },
  };
}

/** Attempts by plan inputs, as the ConfigMap labels keep them apart. */
function memoryStore(): Pick<AttemptStore, 'attempts' | 'allAttempts' | 'saveAttempt'> & {
  records: Map<string, StoredAttempt>;
  get(attempt: number, inputs?: string): StoredAttempt | undefined;
  set(attempt: number, record: StoredAttempt, inputs?: string): void;
} {
  const records = new Map<string, StoredAttempt>();
  const key = (inputs: string, attempt: number) => `${inputs}#${attempt}`;
  return {
    records,
    get: (attempt, inputs = 'abc') => records.get(key(inputs, attempt)),
    set: (attempt, record, inputs = 'abc') => void records.set(key(inputs, attempt), record),
    attempts: async (_env, inputs) =>
      [...records.entries()]
        .filter(([k]) => k.startsWith(`${inputs}#`))
        .map(([, r]) => r)
        .sort((a, b) => a.attempt - b.attempt),
    allAttempts: async () => [...records.values()],
    saveAttempt: async (_env, inputs, record) =>
      void records.set(key(inputs, record.attempt), structuredClone(record)),
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
  maxTokens: 1000,
};
const signal = new AbortController().signal;

function planner(
  a: ScriptAuthor,
  store: ReturnType<typeof memoryStore>,
  budgets: Array<{ maxTokens: number }> = [],
) {
  return new AgentPlanner({
    id: 'agent/test',
    authorFor: (_env, budget) => (budgets.push(budget), a),
    executor,
    checks: (_env, namespace) => ({ policy: DEFAULT_POLICY, namespace }),
    store,
  });
}

/** Answers like a model session: refuses once the tokens it was given are spent. */
function budgetedAuthor(budgets: Array<{ maxTokens: number }>): ScriptAuthor & { requests: AuthorRequest[] } {
  const inner = author(['ghcr.io/acme/web:2', 'ghcr.io/acme/web:3']);
  return {
    ...inner,
    async write(request) {
      if (budgets.at(-1)!.maxTokens <= 0) {
        return {
          ok: false,
          refused: false,
          code: 'VIBE_MODEL_BUDGET_EXHAUSTED',
          message: 'used 0 of 0 tokens',
        };
      }
      return inner.write(request);
    },
  };
}

describe('AgentPlanner', () => {
  it('stores each attempt and replays it instead of asking the author again', async () => {
    const store = memoryStore();
    const first = author(['ghcr.io/acme/web:1']);
    const plan = await planner(first, store).plan(input, signal);
    expect(plan).toMatchObject({ attempt: 1, usage: { tokens: 110, cost: '0.00125' } });
    expect(store.get(1)).toMatchObject({ script: script('ghcr.io/acme/web:1'), author: 'scripted' });

    const again = author([]);
    const replayed = await planner(again, store).plan(input, signal);
    expect(again.requests).toHaveLength(0);
    expect(replayed.script).toBe(plan.script);
    expect(replayed.usage).toEqual({ tokens: 110, cost: '0.00125' });
  });

  it('feeds rollout failures of the applied attempt to the next one', async () => {
    const store = memoryStore();
    await planner(author(['ghcr.io/acme/missing:1']), store).plan(input, signal);
    const runtime = [
      { gate: 'rollout', code: 'ImagePullBackOff', object: 'Deployment/web', message: 'image not found' },
    ] as unknown as StoredAttempt['runtime'];
    store.set(1, { ...store.get(1)!, runtime });

    const fixer = author(['ghcr.io/acme/web:1']);
    const fixed = await planner(fixer, store).plan(input, signal);
    expect(fixer.requests).toHaveLength(1);
    expect(fixer.requests[0]).toMatchObject({
      attempt: 2,
      previous: { script: script('ghcr.io/acme/missing:1'), diagnostics: runtime },
    });
    expect(fixed).toMatchObject({ attempt: 2, usage: { tokens: 220, cost: '0.0025' } });

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
      store.set(attempt, {
        attempt,
        author: 'scripted',
        script: script(`x:${attempt}`),
        diagnostics: [],
        runtime,
        usage: USAGE,
      });
    }
    const err = await planner(author([]), store)
      .plan(input, signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanFailedError);
    expect(err).toMatchObject({
      code: 'VIBE_AGENT_BUDGET_EXHAUSTED',
      attempts: 3,
      usage: { tokens: 330, cost: '0.00375' },
    });
    expect((err as Error).message).toContain('exit 1');
  });

  it('gives a changed intent only the tokens earlier intents left, and sums their cost', async () => {
    const store = memoryStore();
    await planner(author(['ghcr.io/acme/web:1']), store).plan(input, signal);

    const budgets: Array<{ maxTokens: number }> = [];
    const changed = { ...input, intent: 'a web app and a cache', inputs: 'def' };
    const plan = await planner(author(['ghcr.io/acme/web:2']), store, budgets).plan(changed, signal);
    expect(budgets).toEqual([{ maxTokens: 890 }]);
    expect(plan.usage).toEqual({ tokens: 220, cost: '0.0025' });
  });

  it('fails with the token budget spent, and asks again once it is raised', async () => {
    const store = memoryStore();
    for (const [n, inputs] of [
      [1, 'old'],
      [2, 'old'],
    ] as const) {
      store.set(
        n,
        {
          attempt: n,
          author: 'scripted',
          script: script('x:1'),
          diagnostics: [],
          usage: { ...USAGE, inputTokens: 490 },
        },
        inputs,
      );
    }
    const budgets: Array<{ maxTokens: number }> = [];
    const refused = budgetedAuthor(budgets);
    const err = await planner(refused, store, budgets)
      .plan(input, signal)
      .catch((e: unknown) => e);
    expect(budgets).toEqual([{ maxTokens: 0 }]);
    expect(err).toBeInstanceOf(PlanFailedError);
    expect(err).toMatchObject({
      code: CODE.VIBE_AGENT_TOKEN_BUDGET_EXHAUSTED,
      usage: { tokens: 1000, cost: '0.0025' },
    });
    expect((err as Error).message).toContain(
      'spent 1000 of the 1000 model tokens spec.budget.maxTokens allows',
    );
    expect((err as Error).message).toContain('raise spec.budget.maxTokens or simplify the intent');
    expect(store.get(1)?.authorFailure).toBeUndefined();

    const raised = { ...input, maxTokens: 2000 };
    const plan = await planner(refused, store, budgets).plan(raised, signal);
    expect(budgets.at(-1)).toEqual({ maxTokens: 1000 });
    expect(refused.requests).toHaveLength(1);
    expect(plan).toMatchObject({ attempt: 1, usage: { tokens: 1110, cost: '0.00375' } });
  });

  it('stores nothing while no model answers, and asks again once one does', async () => {
    const store = memoryStore();
    let down = true;
    const answered = author(['web:1']);
    const flaky: ScriptAuthor & { calls: number } = {
      name: 'scripted',
      calls: 0,
      async write(request) {
        this.calls++;
        if (down)
          throw new AuthorUnavailableError('VIBE_MODEL_ALL_PROVIDERS_FAILED', 'No model provider answered.');
        return answered.write(request);
      },
    };
    const err = await planner(flaky, store)
      .plan(input, signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthorUnavailableError);
    expect(store.records.size).toBe(0);

    down = false;
    const plan = await planner(flaky, store).plan(input, signal);
    expect(flaky.calls).toBe(2);
    expect(plan).toMatchObject({ attempt: 1 });
    expect(store.get(1)).toMatchObject({ script: script('web:1') });
  });

  it('asks a model only once the namespace is isolated, and never when isolation fails', async () => {
    const store = memoryStore();
    const model = author(['web:1']);
    let isolate!: () => void;
    const isolated = new Promise<void>((resolve) => (isolate = resolve));
    const planning = planner(model, store).plan({ ...input, isolated }, signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(model.requests).toHaveLength(0);
    isolate();
    expect(await planning).toMatchObject({ attempt: 1 });
    expect(model.requests).toHaveLength(1);

    const refused = new Error('the namespace could not be isolated');
    const failedStore = memoryStore();
    const unasked = author(['web:1']);
    const err = await planner(unasked, failedStore)
      .plan({ ...input, isolated: Promise.reject(refused) }, signal)
      .catch((e: unknown) => e);
    expect(err).toBe(refused);
    expect(unasked.requests).toHaveLength(0);
    expect(failedStore.records.size).toBe(0);
  });

  it('lets an author that asks no model write while the namespace is still being isolated', async () => {
    const store = memoryStore();
    const offline = { ...author(['web:1']), free: true };
    const isolated = new Promise<void>(() => undefined);
    void planner(offline, store).plan({ ...input, isolated }, signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(offline.requests).toHaveLength(1);
  });

  it('runs the gates while the answer is stored, and writes their record only after it', async () => {
    const store = memoryStore();
    const writes: string[] = [];
    let answerStored!: () => void;
    const slowSave = store.saveAttempt;
    store.saveAttempt = async (e, inputs, record) => {
      const what = record.gates ? 'gates' : 'answer';
      writes.push(`${what} sent`);
      if (what === 'answer') await new Promise<void>((resolve) => (answerStored = resolve));
      await slowSave(e, inputs, record);
      writes.push(`${what} stored`);
    };
    const ran: string[] = [];
    const watched: SandboxExecutor = {
      ...executor,
      run: (request) => (ran.push('sandbox'), executor.run(request)),
    };
    const planning = new AgentPlanner({
      id: 'agent/test',
      authorFor: () => author(['web:1']),
      executor: watched,
      checks: (_env, namespace) => ({ policy: DEFAULT_POLICY, namespace }),
      store,
    }).plan(input, signal);
    await vi.waitFor(() => expect(ran).toEqual(['sandbox']));
    expect(writes).toEqual(['answer sent']);
    answerStored();
    expect(await planning).toMatchObject({ attempt: 1 });
    expect(writes).toEqual(['answer sent', 'answer stored', 'gates sent', 'gates stored']);
    expect(store.get(1)?.gates?.map((g) => g.gate)).toContain('sandbox');
  });

  it('reports an answer it could not store, once the gates are done', async () => {
    const store = memoryStore();
    const refused = new Error('the API server refused the attempt record');
    store.saveAttempt = () => Promise.reject(refused);
    const err = await planner(author(['web:1']), store)
      .plan(input, signal)
      .catch((e: unknown) => e);
    expect(err).toBe(refused);
  });
});
