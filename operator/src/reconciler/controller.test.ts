import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Controller } from './controller.js';
import type { Informer, InformerHandler } from './informer.js';
import { createControllerMetrics } from './metrics.js';
import type { KubeObject } from './resource.js';

/** Only what the controller uses of an informer: the handler it registers, driven by the test. */
function fakeInformer(): { informer: Informer<KubeObject>; handler: () => InformerHandler<KubeObject> } {
  let registered: InformerHandler<KubeObject> | undefined;
  const informer = {
    addHandler: (h: InformerHandler<KubeObject>) => (registered = h),
  } as unknown as Informer<KubeObject>;
  return { informer, handler: () => registered! };
}

const obj = (name: string, rv: number): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: String(rv) },
});

describe('Controller', () => {
  it('never reconciles one object on two workers at once, and reconciles each after its last change', async () => {
    const { informer, handler } = fakeInformer();
    const registry = new Registry();
    const inFlight = new Map<string, number>();
    let mostAtOnce = 0;
    const lastSeen = new Map<string, number>();
    const changes = new Map<string, number>();
    const controller = new Controller({
      name: 'test',
      informer,
      concurrency: 4,
      logger: pino({ level: 'silent' }),
      metrics: createControllerMetrics(registry),
      reconcile: async (key) => {
        const now = (inFlight.get(key) ?? 0) + 1;
        inFlight.set(key, now);
        mostAtOnce = Math.max(mostAtOnce, now);
        lastSeen.set(key, changes.get(key) ?? 0);
        await new Promise((r) => setTimeout(r, 5));
        inFlight.set(key, now - 1);
      },
    });
    controller.start();
    for (let round = 1; round <= 20; round++) {
      for (const name of ['a', 'b', 'c']) {
        changes.set(`ns/${name}`, round);
        handler().onUpdate?.(obj(name, round - 1), obj(name, round));
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    for (let i = 0; i < 200 && [...lastSeen.values()].some((v) => v < 20); i++)
      await new Promise((r) => setTimeout(r, 10));
    await controller.stop();
    expect(mostAtOnce).toBe(1);
    expect(Object.fromEntries(lastSeen)).toEqual({ 'ns/a': 20, 'ns/b': 20, 'ns/c': 20 });
    const overlaps = (await registry.getSingleMetric('vibe_reconcile_overlaps_total')!.get()).values;
    expect(overlaps.reduce((sum, v) => sum + v.value, 0)).toBe(0);
  });
});
