import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PermanentError, TemporaryError } from './errors.js';
import type { EventRecorder } from './events.js';
import type { HandlerContext, Managed } from './handler-types.js';
import { Handlers } from './handlers.js';
import type { ObjectWriter } from './object-writer.js';

type Obj = Managed & { spec: { intent: string; ttl?: string }; status?: Record<string, unknown> };

/** An in-memory stand-in for the API: one object, resourceVersions that grow, writes counted. */
function fakeApi(initial: Obj) {
  let obj: Obj = structuredClone(initial);
  let rv = 1;
  const writes: string[] = [];
  const events: string[] = [];
  const bump = (next: Obj) => {
    obj = { ...next, metadata: { ...next.metadata, resourceVersion: String(++rv) } };
    return structuredClone(obj);
  };
  const writer = {
    async setFinalizers(_o: Obj, finalizers: string[]) {
      writes.push(`finalizers=${finalizers.join(',')}`);
      return bump({ ...obj, metadata: { ...obj.metadata, finalizers } });
    },
    async applyStatus(_o: Obj, status: object) {
      writes.push('status');
      return bump({ ...obj, status: structuredClone(status) as Record<string, unknown> });
    },
  } as unknown as ObjectWriter<Obj>;
  const recorder = {
    forget() {},
    async record(_o: Obj, type: string, reason: string, message: string) {
      events.push(`${type} ${reason} ${message}`);
    },
  } as unknown as EventRecorder;
  return {
    writes,
    events,
    get: () => structuredClone(obj),
    edit(change: (o: Obj) => void) {
      const next = structuredClone(obj);
      change(next);
      bump(next);
    },
    deps: {
      controller: 'test',
      finalizer: 'test.dev/f',
      get: () => structuredClone(obj),
      writer,
      events: recorder,
      logger: pino({ level: 'silent' }),
    },
  };
}

const object = (): Obj => ({
  apiVersion: 'vibe.dev/v1alpha1',
  kind: 'VibeEnvironment',
  metadata: { name: 'e', namespace: 'ns', uid: 'u1', generation: 1, resourceVersion: '1' },
  spec: { intent: 'a redis', ttl: '1h' },
});

describe('Handlers', () => {
  it('writes status mid-handler when asked, as it stood then, and the rest once the handler returns', async () => {
    const api = fakeApi(object());
    const seen: unknown[] = [];
    const reconcile = new Handlers<Obj>()
      .onReconcile('work', async (ctx) => {
        ctx.status.phase = 'Planning';
        const written = ctx.writeStatus();
        ctx.status.phase = 'Applying';
        await written;
        seen.push(api.get().status?.phase);
      })
      .reconciler(api.deps);
    await reconcile('ns/e');
    expect(seen).toEqual(['Planning']);
    expect(api.get().status?.phase).toBe('Applying');
    expect(api.writes.filter((w) => w === 'status')).toHaveLength(2);
  });

  it('adds the finalizer, runs create handlers once in order, records progress and observedGeneration', async () => {
    const api = fakeApi(object());
    const calls: string[] = [];
    const reconcile = new Handlers<Obj>()
      .onCreate('one', (ctx) => {
        calls.push(`one:${ctx.cause}`);
        ctx.status.phase = 'Planning';
      })
      .onCreate('two', () => void calls.push('two'))
      .onDelete('cleanup', () => void calls.push('cleanup'))
      .reconciler(api.deps);
    expect(await reconcile('ns/e')).toEqual({});
    expect(await reconcile('ns/e')).toEqual({});
    expect(calls).toEqual(['one:create', 'two']);
    expect(api.get().metadata.finalizers).toEqual(['test.dev/f']);
    expect(api.get().status).toMatchObject({
      phase: 'Planning',
      observedGeneration: 1,
      progress: { handledGeneration: 1 },
    });
    expect(api.writes).toEqual(['finalizers=test.dev/f', 'status', 'status']);
  });

  it('calls update handlers with the old spec and the diff, and field handlers only for their field', async () => {
    const api = fakeApi(object());
    const seen: HandlerContext<Obj>[] = [];
    const fields: string[] = [];
    const reconcile = new Handlers<Obj>()
      .onCreate('create', () => {})
      .onUpdate('update', (ctx) => void seen.push(ctx))
      .onField('spec.ttl', 'ttl', () => void fields.push('ttl'))
      .onField('spec.intent', 'intent', () => void fields.push('intent'))
      .reconciler(api.deps);
    await reconcile('ns/e');
    expect(fields).toEqual(['ttl', 'intent']);
    api.edit((o) => {
      o.spec.ttl = '2h';
      o.metadata.generation = 2;
    });
    await reconcile('ns/e');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.cause).toBe('update');
    expect(seen[0]?.diff).toEqual([{ op: 'change', path: 'spec.ttl', old: '1h', new: '2h' }]);
    expect((seen[0]?.old as unknown as { spec: { ttl: string } }).spec.ttl).toBe('1h');
    expect(fields).toEqual(['ttl', 'intent', 'ttl']);
    expect(api.get().status?.observedGeneration).toBe(2);
  });

  it('retries after a TemporaryError with its delay, keeping finished handlers finished', async () => {
    const api = fakeApi(object());
    let firstRuns = 0;
    let failNext = true;
    const reconcile = new Handlers<Obj>()
      .onCreate('first', () => void firstRuns++)
      .onCreate('flaky', () => {
        if (failNext) {
          failNext = false;
          throw new TemporaryError('not yet', 50);
        }
      })
      .reconciler(api.deps);
    const result = await reconcile('ns/e');
    expect(result.requeueAfterMs).toBeGreaterThan(0);
    expect(result.requeueAfterMs).toBeLessThanOrEqual(50);
    const progress = api.get().status?.progress as { handlers: Array<Record<string, unknown>> };
    expect(progress.handlers).toMatchObject([
      { id: 'first', done: true },
      { id: 'flaky', retries: 1, message: 'not yet' },
    ]);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await reconcile('ns/e')).toEqual({});
    expect(firstRuns).toBe(1);
    expect(api.get().status?.progress).toEqual({ handledGeneration: 1 });
  });

  it('survives a handler that throws a non-Error and marks PermanentError failures with an event', async () => {
    const api = fakeApi(object());
    const reconcile = new Handlers<Obj>()
      .onCreate(
        'throws-string',
        () => {
          throw 'boom';
        },
        { retries: 0 },
      )
      .onCreate('permanent', () => {
        throw new PermanentError('cannot ever work');
      })
      .reconciler(api.deps);
    expect(await reconcile('ns/e')).toEqual({});
    expect(api.events).toEqual([
      'Warning HandlerFailed throws-string: a non-Error value was thrown: boom',
      'Warning HandlerFailed permanent: cannot ever work',
    ]);
    expect(api.get().status?.progress).toEqual({ handledGeneration: 1 });
    await reconcile('ns/e');
    expect(api.events).toHaveLength(2);
  });

  it('runs delete handlers on deletion and removes only its own finalizer afterwards', async () => {
    const api = fakeApi({ ...object(), metadata: { ...object().metadata, finalizers: ['other.dev/keep'] } });
    const calls: string[] = [];
    const reconcile = new Handlers<Obj>()
      .onCreate('create', () => {})
      .onDelete('cleanup', (ctx) => void calls.push(`cleanup:${ctx.cause}`))
      .reconciler(api.deps);
    await reconcile('ns/e');
    expect(api.get().metadata.finalizers).toEqual(['other.dev/keep', 'test.dev/f']);
    api.edit((o) => (o.metadata.deletionTimestamp = '2026-01-01T00:00:00Z'));
    await reconcile('ns/e');
    expect(calls).toEqual(['cleanup:delete']);
    expect(api.get().metadata.finalizers).toEqual(['other.dev/keep']);
    await reconcile('ns/e');
    expect(calls).toHaveLength(1);
  });

  it('reruns only the interrupted handler after a restart (fresh process memory)', async () => {
    const api = fakeApi(object());
    const calls: string[] = [];
    let crash = true;
    const build = () =>
      new Handlers<Obj>()
        .onCreate('a', () => void calls.push('a'))
        .onCreate('b', () => {
          calls.push('b');
          if (crash) throw new Error('killed');
        })
        .onResume('resume', () => void calls.push('resume'))
        .reconciler(api.deps);
    await build()('ns/e');
    crash = false;
    await new Promise((r) => setTimeout(r, 1100));
    await build()('ns/e');
    await build()('ns/e');
    expect(calls).toEqual(['a', 'b', 'b', 'resume']);
  });

  it('recognises the watch echo of its own last write once, and nothing else', async () => {
    const api = fakeApi(object());
    const handlers = new Handlers<Obj>().onCreate('c', (ctx) => void (ctx.status.phase = 'Ready'));
    await handlers.reconciler(api.deps)('ns/e');
    const echo = api.get();
    expect(handlers.isOwnEcho('ns/e', echo)).toBe(true);
    expect(handlers.isOwnEcho('ns/e', echo)).toBe(false);
    api.edit((o) => (o.metadata.labels = { changed: 'by someone else' }));
    expect(handlers.isOwnEcho('ns/e', api.get())).toBe(false);
    expect(handlers.isOwnEcho('ns/other', echo)).toBe(false);
  });

  it('records a repeated identical TemporaryError once, not on every retry', async () => {
    const api = fakeApi(object());
    let waiting = true;
    const reconcile = new Handlers<Obj>()
      .onCreate('wait', () => {
        if (waiting) throw new TemporaryError('namespace still terminating', 5);
      })
      .reconciler(api.deps);
    await reconcile('ns/e');
    const afterFirst = api.writes.length;
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 10));
      expect((await reconcile('ns/e')).requeueAfterMs).toBe(5);
    }
    expect(api.writes.length).toBe(afterFirst);
    waiting = false;
    await new Promise((r) => setTimeout(r, 10));
    await reconcile('ns/e');
    expect(api.get().status?.progress).toEqual({ handledGeneration: 1 });
  });

  it('writes nothing when a reconcile changes nothing', async () => {
    const api = fakeApi(object());
    const reconcile = new Handlers<Obj>()
      .onCreate('c', () => {})
      .onReconcile('level', (ctx) => void (ctx.status.phase = 'Ready'))
      .reconciler(api.deps);
    await reconcile('ns/e');
    const writes = api.writes.length;
    for (let i = 0; i < 5; i++) await reconcile('ns/e');
    expect(api.writes.length).toBe(writes);
  });
});
