import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { Informer } from './informer.js';
import type { KubeClient, RequestOptions } from './kube-client.js';
import { createControllerMetrics } from './metrics.js';
import type { KubeObject, Resource } from './resource.js';

const resource: Resource = {
  group: 'vibe.dev',
  version: 'v1alpha1',
  plural: 'things',
  kind: 'Thing',
  namespaced: true,
};
const obj = (name: string, rv: string): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, managedFields: [{ manager: 'x' }] },
});

type Step =
  { list: { items: KubeObject[]; rv: string; pageSize?: number } } | { watch: Array<string | Error> };

/**
 * A scripted stand-in for the API's list and watch endpoints: each list or
 * watch call consumes the next step. Only the informer's bookkeeping is under
 * test here; the real API server is exercised by the integration tests.
 */
function scripted(steps: Step[]) {
  const calls: string[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const next = () => {
    const step = steps.shift();
    if (!step) done();
    return step;
  };
  const client = {
    async request(opts: RequestOptions) {
      const step = next();
      if (!step || !('list' in step)) return new Promise(() => {});
      const token = Number(opts.query?.continue ?? 0);
      const size = step.list.pageSize ?? 500;
      calls.push(`list continue=${token}`);
      const items = step.list.items.slice(token, token + size);
      const more = token + size < step.list.items.length;
      if (more) steps.unshift(step);
      return {
        metadata: { resourceVersion: step.list.rv, continue: more ? String(token + size) : undefined },
        items,
      };
    },
    async stream(opts: RequestOptions, onLine: (line: string) => void) {
      calls.push(`watch rv=${opts.query?.resourceVersion}`);
      const step = next();
      if (!step || !('watch' in step)) return new Promise<void>(() => {});
      for (const line of step.watch) {
        if (line instanceof Error) throw line;
        onLine(line);
      }
    },
  } as unknown as KubeClient;
  return { client, calls, finished };
}

const event = (type: string, o: KubeObject) => JSON.stringify({ type, object: o });

async function run(steps: Step[]) {
  const api = scripted(steps);
  const metrics = createControllerMetrics(new Registry());
  const informer = new Informer<KubeObject>({
    client: api.client,
    resource,
    logger: pino({ level: 'silent' }),
    metrics,
    backoff: { initialMs: 1, maxMs: 2 },
  });
  const seen: string[] = [];
  informer.addHandler({
    onAdd: (o, initial) => seen.push(`add ${o.metadata.name}${initial ? ' (initial)' : ''}`),
    onUpdate: (a, b) =>
      seen.push(`update ${b.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  informer.start();
  await api.finished;
  await new Promise((r) => setTimeout(r, 5));
  const result = { seen, calls: api.calls, informer, errors: await metrics.watchErrors.get() };
  void informer.stop();
  return result;
}

describe('Informer', () => {
  it('pages the initial list, then watches from its resourceVersion, resuming after bookmarks', async () => {
    const { seen, calls, informer } = await run([
      { list: { items: [obj('a', '1'), obj('b', '2'), obj('c', '3')], rv: '10', pageSize: 2 } },
      {
        watch: [
          event('MODIFIED', obj('a', '11')),
          event('ADDED', obj('d', '12')),
          event('DELETED', obj('b', '13')),
          event('BOOKMARK', { metadata: { name: '', resourceVersion: '20' } }),
        ],
      },
      { watch: [] },
    ]);
    expect(calls).toEqual([
      'list continue=0',
      'list continue=2',
      'watch rv=10',
      'watch rv=20',
      'watch rv=20',
    ]);
    expect(seen).toEqual([
      'add a (initial)',
      'add b (initial)',
      'add c (initial)',
      'update a 1->11',
      'add d',
      'delete b',
    ]);
    expect(
      informer
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['a', 'c', 'd']);
    expect(informer.get('ns/a')?.metadata.managedFields).toBeUndefined();
  });

  it('relists on 410 Gone and reports what changed in the gap, deletes included', async () => {
    const { seen, calls, errors } = await run([
      { list: { items: [obj('a', '1'), obj('b', '2')], rv: '10' } },
      {
        watch: [
          JSON.stringify({
            type: 'ERROR',
            object: { kind: 'Status', code: 410, message: 'too old resource version' },
          }),
        ],
      },
      { list: { items: [obj('a', '5'), obj('c', '6')], rv: '30' } },
      { watch: [] },
    ]);
    expect(calls).toEqual([
      'list continue=0',
      'watch rv=10',
      'list continue=0',
      'watch rv=30',
      'watch rv=30',
    ]);
    expect(seen).toEqual(['add a (initial)', 'add b (initial)', 'delete b', 'update a 1->5', 'add c']);
    expect(errors.values.find((v) => v.labels.reason === 'gone')?.value).toBe(1);
  });

  it('treats a malformed event as a possible gap: relists instead of skipping it', async () => {
    const { seen, calls, errors } = await run([
      { list: { items: [obj('a', '1')], rv: '10' } },
      { watch: ['{"type":"MODIFIED","object":', event('MODIFIED', obj('a', '12'))] },
      { list: { items: [obj('a', '12')], rv: '12' } },
      { watch: [] },
    ]);
    expect(calls).toEqual([
      'list continue=0',
      'watch rv=10',
      'list continue=0',
      'watch rv=12',
      'watch rv=12',
    ]);
    expect(seen).toEqual(['add a (initial)', 'update a 1->12']);
    expect(errors.values.find((v) => v.labels.reason === 'malformed')?.value).toBe(1);
  });

  it('backs off and resumes the watch from the last resourceVersion after errors', async () => {
    const { calls, errors } = await run([
      { list: { items: [obj('a', '1')], rv: '10' } },
      { watch: [event('MODIFIED', obj('a', '11')), new Error('socket hang up')] },
      { watch: [new ApiError('GET', '/x', 500, { kind: 'Status', message: 'boom' })] },
      { watch: [] },
    ]);
    expect(calls).toEqual(['list continue=0', 'watch rv=10', 'watch rv=11', 'watch rv=11', 'watch rv=11']);
    const byReason = Object.fromEntries(errors.values.map((v) => [v.labels.reason, v.value]));
    expect(byReason).toEqual({ connection: 1, http: 1 });
  });
});
