import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition } from '../../operator/src/api/condition.js';
import type { VibeEnvironmentSchedule } from '../../operator/src/api/vibe-environment-schedule.js';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import { KubeClient, PATCH } from '../../operator/src/reconciler/kube-client.js';
import { createControllerMetrics, type ControllerMetrics } from '../../operator/src/reconciler/metrics.js';
import { ScheduleController } from '../../operator/src/schedule/schedule-controller.js';
import {
  createNamespace,
  deleteNamespace,
  environmentsPath,
  eventsFor,
  installCrds,
  kubeconfigPath,
  testClient,
  waitFor,
} from '../support/kube.js';

const MINUTE = 60_000;

/**
 * The schedule controller in this process against the real API server. Its
 * clock runs at real speed plus an offset the tests move forward, so a minute
 * of schedule passes in an instant and the controller's own requeue timers
 * still fire on real time.
 */
describe('VibeEnvironmentSchedule controller', () => {
  let client: KubeClient;
  let ns: string;
  let registry: Registry;
  let metrics: ControllerMetrics;
  let controllerClient: KubeClient;
  let schedules: ScheduleController;
  let offset = 0;
  const now = () => Date.now() + offset;

  const schedulesPath = (name?: string) =>
    `/apis/vibe.dev/v1alpha1/namespaces/${ns}/vibeenvironmentschedules${name ? `/${name}` : ''}`;
  const getSchedule = (name: string) =>
    client.request<VibeEnvironmentSchedule>({ method: 'GET', path: schedulesPath(name) });
  const runsOf = async (schedule: string) => {
    const list = await client.request<{ items: VibeEnvironment[] }>({
      method: 'GET',
      path: environmentsPath(ns),
      query: { labelSelector: `vibe.dev/schedule=${schedule}` },
    });
    return list.items
      .filter((e) => !e.metadata.deletionTimestamp)
      .map((e) => e.metadata.name)
      .sort();
  };
  /** Creates a schedule with the controller's clock back at real time, so nothing is due at once. */
  const createSchedule = async (name: string, spec: Record<string, unknown>) => {
    offset = 0;
    const created = await client.request<VibeEnvironmentSchedule>({
      method: 'POST',
      path: schedulesPath(),
      body: {
        apiVersion: 'vibe.dev/v1alpha1',
        kind: 'VibeEnvironmentSchedule',
        metadata: { name },
        spec: {
          schedule: '* * * * *',
          timeZone: 'UTC',
          template: {
            metadata: { labels: { team: 'qa' } },
            spec: { intent: 'a web app for the nightly tests', ttl: '1h' },
          },
          ...spec,
        },
      },
    });
    return Date.parse(created.metadata.creationTimestamp!);
  };
  /** The controller's clock reads `at` now; the schedule is reconciled at once. */
  const setClock = (at: number, schedule: string) => {
    offset = at - Date.now();
    schedules.controller.queue.add(`${ns}/${schedule}`);
  };
  const runName = (schedule: string, at: number) => `${schedule}-${Math.floor(at / MINUTE)}`;
  const setPhase = (name: string, phase: string) =>
    client.request({
      method: 'PATCH',
      path: `${environmentsPath(ns, name)}/status`,
      contentType: PATCH.merge,
      body: { status: { phase } },
    });
  const readyCondition = (s: VibeEnvironmentSchedule): Condition | undefined =>
    s.status?.conditions?.find((c) => c.type === 'Ready');
  const waitForRuns = (schedule: string, expected: string[], timeoutMs = 30_000) =>
    waitFor(
      `${schedule} runs to be ${expected.join(', ')}`,
      async () => JSON.stringify(await runsOf(schedule)) === JSON.stringify([...expected].sort()),
      timeoutMs,
    );
  const waitForStatus = (
    schedule: string,
    what: string,
    test: (s: VibeEnvironmentSchedule) => boolean,
  ): Promise<VibeEnvironmentSchedule> =>
    waitFor(`${schedule}: ${what}`, async () => {
      const s = await getSchedule(schedule);
      return test(s) ? s : undefined;
    });
  const reasons = async (name: string) => (await eventsFor(client, ns, name)).map((e) => e.reason);
  const counter = async (
    name: string,
    filter: (labels: Partial<Record<string, string | number>>) => boolean,
  ) => {
    const metric = await registry.getSingleMetric(name)?.get();
    return (metric?.values ?? []).filter((v) => filter(v.labels)).reduce((sum, v) => sum + v.value, 0);
  };
  const writes = () => counter('rest_client_requests_total', (l) => l.method !== 'GET');

  beforeAll(async () => {
    client = testClient();
    await installCrds(client);
    ns = await createNamespace(client, 'schedule');
    registry = new Registry();
    metrics = createControllerMetrics(registry);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath());
    controllerClient = new KubeClient(kc, metrics);
    schedules = new ScheduleController({
      client: controllerClient,
      logger: pino({ level: 'warn' }),
      fieldManager: 'vibe-operator',
      metrics,
      namespace: ns,
      now,
    });
    await schedules.start();
  });

  afterAll(async () => {
    await schedules?.stop();
    controllerClient?.close();
    if (ns) await deleteNamespace(client, ns);
    client?.close();
  });

  it('every minute with Forbid and history limit 1: creates, keeps and prunes runs', async () => {
    const created = await createSchedule('nightly', {
      concurrencyPolicy: 'Forbid',
      successfulHistoryLimit: 1,
      failedHistoryLimit: 1,
    });
    const m = (i: number) => (Math.floor(created / MINUTE) + i) * MINUTE;
    const run = (i: number) => runName('nightly', m(i));

    const waiting = await waitForStatus(
      'nightly',
      'Scheduled',
      (s) => readyCondition(s)?.reason === 'Scheduled',
    );
    expect(readyCondition(waiting)?.message).toBe(
      `The next run is at ${new Date(m(1)).toISOString().replace('.000', '')} (* * * * * in UTC).`,
    );
    expect(waiting.status?.observedGeneration).toBe(1);
    expect(await runsOf('nightly')).toEqual([]);

    // Minute 1: the first run starts, labelled and owned by the schedule.
    setClock(m(1) + 1000, 'nightly');
    await waitForRuns('nightly', [run(1)]);
    const first = await client.request<VibeEnvironment>({
      method: 'GET',
      path: environmentsPath(ns, run(1)),
    });
    const schedule = await getSchedule('nightly');
    expect(first.metadata.labels).toEqual({ team: 'qa', 'vibe.dev/schedule': 'nightly' });
    expect(first.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'vibe.dev/v1alpha1',
        kind: 'VibeEnvironmentSchedule',
        name: 'nightly',
        uid: schedule.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(first.spec).toMatchObject({ intent: 'a web app for the nightly tests', ttl: '1h' });
    await waitForStatus('nightly', 'run 1 active', (s) => s.status?.active?.[0]?.name === run(1));
    expect((await getSchedule('nightly')).status).toMatchObject({
      lastScheduleTime: new Date(m(1)).toISOString().replace('.000', ''),
      active: [{ name: run(1), uid: first.metadata.uid }],
    });

    // Minute 2: run 1 is still provisioning, so Forbid holds run 2 back.
    setClock(m(2) + 1000, 'nightly');
    await waitFor('the RunWaiting event', async () => (await reasons('nightly')).includes('RunWaiting'));
    expect(await runsOf('nightly')).toEqual([run(1)]);

    // Run 1 becomes Ready: the slot is free and the waiting run starts without another tick.
    await setPhase(run(1), 'Ready');
    await waitForRuns('nightly', [run(1), run(2)]);
    const afterReady = await waitForStatus(
      'nightly',
      'run 2 active',
      (s) => s.status?.active?.[0]?.name === run(2),
    );
    expect(afterReady.status?.active).toHaveLength(1);
    expect(afterReady.status?.lastSuccessfulTime).toBe(new Date(m(1)).toISOString().replace('.000', ''));

    // Run 2 fails: it is kept as the one failed run history allows.
    await setPhase(run(2), 'Failed');
    await waitForStatus('nightly', 'no active run', (s) => s.status?.active === undefined);
    expect(await runsOf('nightly')).toEqual([run(1), run(2)].sort());

    // Minute 3 succeeds: only the newest successful run is kept, so run 1 is deleted.
    setClock(m(3) + 1000, 'nightly');
    await waitForRuns('nightly', [run(1), run(2), run(3)]);
    await setPhase(run(3), 'Ready');
    await waitForRuns('nightly', [run(2), run(3)]);

    // Minute 4 fails: only the newest failed run is kept, so run 2 is deleted.
    setClock(m(4) + 1000, 'nightly');
    await waitForRuns('nightly', [run(2), run(3), run(4)]);
    await setPhase(run(4), 'Failed');
    await waitForRuns('nightly', [run(3), run(4)]);

    const final = await waitForStatus(
      'nightly',
      'no active run and the last success recorded',
      (s) =>
        s.status?.active === undefined &&
        s.status?.lastSuccessfulTime === new Date(m(3)).toISOString().replace('.000', ''),
    );
    expect(final.status?.lastScheduleTime).toBe(new Date(m(4)).toISOString().replace('.000', ''));
    const events = await reasons('nightly');
    expect(events.filter((r) => r === 'CreatedRun')).toHaveLength(4);
    expect(events.filter((r) => r === 'DeletedFinishedRun')).toHaveLength(2);
    expect(await counter('controller_runtime_reconcile_errors_total', () => true)).toBe(0);
  });

  it('writes nothing while no run is due, however often it reconciles', async () => {
    const before = await writes();
    const reconciles = await counter('controller_runtime_reconcile_total', () => true);
    for (let i = 0; i < 5; i++) schedules.controller.queue.add(`${ns}/nightly`);
    await waitFor('more reconciles', async () =>
      (await counter('controller_runtime_reconcile_total', () => true)) > reconciles ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(await writes()).toBe(before);
  });

  it('a retried run finds its environment already there and creates no second one', async () => {
    const before = await runsOf('nightly');
    const lastRun = before.at(-1)!;
    const minute = Number(lastRun.split('-').at(-1)) * MINUTE;
    // Roll lastScheduleTime back, as if the status write after creating the run had been lost.
    await client.request({
      method: 'PATCH',
      path: `${schedulesPath('nightly')}/status`,
      contentType: PATCH.merge,
      body: { status: { lastScheduleTime: new Date(minute - MINUTE).toISOString().replace('.000', '') } },
    });
    const conflicts = () =>
      counter('rest_client_requests_total', (l) => l.method === 'POST' && l.code === '409');
    const conflictsBefore = await conflicts();
    setClock(minute + 1000, 'nightly');
    await waitForStatus(
      'nightly',
      'lastScheduleTime restored',
      (s) => s.status?.lastScheduleTime === new Date(minute).toISOString().replace('.000', ''),
    );
    expect(await runsOf('nightly')).toEqual(before);
    expect(await conflicts()).toBe(conflictsBefore + 1);
    expect(await counter('controller_runtime_reconcile_errors_total', () => true)).toBe(0);
  });

  it('deleting the schedule garbage-collects its environments', async () => {
    expect((await runsOf('nightly')).length).toBeGreaterThan(0);
    await deleteSchedule('nightly');
    await waitForRuns('nightly', [], 60_000);
  });

  it('wakes itself at the next scheduled time without being poked', async () => {
    const created = await createSchedule('timer', { concurrencyPolicy: 'Allow' });
    const next = (Math.floor(created / MINUTE) + 1) * MINUTE;
    // Two seconds before the scheduled minute nothing is due; the requeue alone must start the run.
    setClock(next - 2000, 'timer');
    await waitForStatus('timer', 'Scheduled', (s) => readyCondition(s)?.reason === 'Scheduled');
    expect(await runsOf('timer')).toEqual([]);
    await waitForRuns('timer', [runName('timer', next)], 20_000);
    await deleteSchedule('timer');
  });

  it('after many missed minutes starts one run and says how many were skipped', async () => {
    const created = await createSchedule('outage', { concurrencyPolicy: 'Allow' });
    const first = (Math.floor(created / MINUTE) + 1) * MINUTE;
    setClock(first + 150 * MINUTE + 5000, 'outage');
    await waitForRuns('outage', [runName('outage', first + 150 * MINUTE)]);
    const missed = await waitFor('the MissedRuns event', async () =>
      (await eventsFor(client, ns, 'outage')).find((e) => e.reason === 'MissedRuns'),
    );
    expect(missed.message).toMatch(/^Skipped 150 runs scheduled after .*; only the latest was started\.$/);
    await deleteSchedule('outage');
  });

  it('does not start a run later than startingDeadlineSeconds', async () => {
    const created = await createSchedule('deadline', { startingDeadlineSeconds: 10 });
    const first = (Math.floor(created / MINUTE) + 1) * MINUTE;
    setClock(first + 30_000, 'deadline');
    const event = await waitFor('the MissedStartingDeadline event', async () =>
      (await eventsFor(client, ns, 'deadline')).find((e) => e.reason === 'MissedStartingDeadline'),
    );
    expect(event.message).toContain('more than startingDeadlineSeconds (10) late');
    expect(await runsOf('deadline')).toEqual([]);
    setClock(first + MINUTE + 5000, 'deadline');
    await waitForRuns('deadline', [runName('deadline', first + MINUTE)]);
    await deleteSchedule('deadline');
  });

  it('Replace deletes the active run before starting the next', async () => {
    const created = await createSchedule('replace', { concurrencyPolicy: 'Replace' });
    const m = (i: number) => (Math.floor(created / MINUTE) + i) * MINUTE;
    setClock(m(1) + 1000, 'replace');
    await waitForRuns('replace', [runName('replace', m(1))]);
    setClock(m(2) + 1000, 'replace');
    await waitForRuns('replace', [runName('replace', m(2))]);
    expect(await reasons('replace')).toContain('ReplacedRuns');
    await deleteSchedule('replace');
  });

  it('suspend stops new runs; an invalid zone or cron is a condition naming the field', async () => {
    const created = await createSchedule('broken', { timeZone: 'Mars/Olympus', suspend: false });
    const m = (i: number) => (Math.floor(created / MINUTE) + i) * MINUTE;
    const zone = await waitForStatus(
      'broken',
      'InvalidTimeZone',
      (s) => readyCondition(s)?.reason === 'InvalidTimeZone',
    );
    expect(readyCondition(zone)).toMatchObject({ status: 'False', observedGeneration: 1 });
    expect(readyCondition(zone)?.message).toContain('spec.timeZone "Mars/Olympus" is not an IANA time zone');

    await patchSpec('broken', { timeZone: 'Europe/Berlin', schedule: '*/5 * * *' });
    const cron = await waitForStatus(
      'broken',
      'InvalidSchedule',
      (s) => readyCondition(s)?.reason === 'InvalidSchedule',
    );
    expect(readyCondition(cron)?.message).toContain('spec.schedule "*/5 * * *" must have five fields');

    await patchSpec('broken', { schedule: '* * * * *', suspend: true });
    const suspended = await waitForStatus(
      'broken',
      'Suspended',
      (s) => readyCondition(s)?.reason === 'Suspended',
    );
    expect(suspended.status?.observedGeneration).toBe(3);
    const reconciles = await counter('controller_runtime_reconcile_total', () => true);
    setClock(m(2) + 1000, 'broken');
    await waitFor('the reconcile at minute 2', async () =>
      (await counter('controller_runtime_reconcile_total', () => true)) > reconciles ? true : undefined,
    );
    expect(await runsOf('broken')).toEqual([]);
    expect(await counter('controller_runtime_reconcile_errors_total', () => true)).toBe(0);
    await deleteSchedule('broken');
  });

  it('a run name taken by an environment it does not own is a condition, not a takeover', async () => {
    const created = await createSchedule('taken', { concurrencyPolicy: 'Allow' });
    const first = (Math.floor(created / MINUTE) + 1) * MINUTE;
    const name = runName('taken', first);
    await client.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: {
        apiVersion: 'vibe.dev/v1alpha1',
        kind: 'VibeEnvironment',
        metadata: { name, labels: { 'vibe.dev/schedule': 'taken' } },
        spec: { intent: 'made by hand' },
      },
    });
    setClock(first + 1000, 'taken');
    const taken = await waitForStatus('taken', 'NameTaken', (s) => readyCondition(s)?.reason === 'NameTaken');
    expect(readyCondition(taken)?.message).toContain(`needs the name ${name}`);
    expect(taken.status?.lastScheduleTime).toBeUndefined();
    const env = await client.request<VibeEnvironment>({ method: 'GET', path: environmentsPath(ns, name) });
    expect(env.spec.intent).toBe('made by hand');
    expect(env.metadata.ownerReferences).toBeUndefined();
    await deleteSchedule('taken');
  });

  async function patchSpec(name: string, spec: Record<string, unknown>) {
    await client.request({
      method: 'PATCH',
      path: schedulesPath(name),
      contentType: PATCH.merge,
      body: { spec },
    });
  }

  async function deleteSchedule(name: string) {
    try {
      await client.request({
        method: 'DELETE',
        path: schedulesPath(name),
        body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
      });
    } catch (err) {
      if (!isApiError(err, 404)) throw err;
    }
  }
});
