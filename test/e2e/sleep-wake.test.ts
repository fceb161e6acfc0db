/**
 * Sleep and wake on the full cluster (ADRs 0096, 0097), with previews served by the operator's
 * preview router: an environment with afterIdle 1m and no request goes Sleeping with no pod running;
 * one request to its preview is answered 200 by the app after the activator woke it; concurrent
 * requests during a wake are all answered; a schedule window puts it to sleep and wakes it; a wake
 * that cannot succeed (its image removed while it slept) answers 503 with the rollout's diagnostic,
 * which the environment shows too.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import { EnvironmentClient } from '../../operator/src/client/index.js';
import { PATCH } from '../../operator/src/reconciler/kube-client.js';
import { httpGet } from '../support/http-get.js';
import {
  createEnvironment,
  createNamespace,
  deleteNamespace,
  environmentsPath,
  eventsFor,
  getEnvironment,
  installCrds,
  testClient,
  waitFor,
} from '../support/kube.js';
import { removeNodeImage, tagNodeImage } from '../support/node-images.js';
import { localOperatorArgs, OperatorProcess } from '../support/operator-process.js';

const client = testClient();
let ns: string;
let host: string;
let routerUrl: string;
let operator: OperatorProcess;
let environments: EnvironmentClient;

const APP_BODY = 'hello from vibe busybox';
/** A name of the example's image that only this suite uses, so removing it breaks nothing else. */
const DOOMED_IMAGE = 'localhost/vibe/busybox:sleep-e2e-removed';

function phase(want: string, timeoutMs: number, name = 'web'): Promise<VibeEnvironment> {
  return waitFor(
    `${name} to be ${want}`,
    async () => {
      const env = await getEnvironment<VibeEnvironment>(client, ns, name);
      if (env?.status?.phase === 'Failed') throw new Error(`${name} failed: ${env.status.message}`);
      return env?.status?.phase === want ? env : undefined;
    },
    timeoutMs,
    500,
  );
}

async function runningPods(name = 'web'): Promise<number> {
  const pods = await client.request<{ items: { status?: { phase?: string } }[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/vibe-${ns}-${name}/pods`,
  });
  return pods.items.filter((p) => p.status?.phase === 'Running').length;
}

beforeAll(async () => {
  await installCrds(client);
  ns = await createNamespace(client, 'sleep-e2e');
  host = `web-${ns}.vibe.localhost`;
  environments = new EnvironmentClient(client, ns);
  operator = await OperatorProcess.start(localOperatorArgs(ns));
  await operator.ready(60_000);
  routerUrl = `http://127.0.0.1:${await operator.previewRouterPort()}/`;
  const example = parse(readFileSync('examples/web-app.yaml', 'utf8')) as VibeEnvironment;
  example.spec.sleep = { afterIdle: '1m', pauseTtl: false };
  await client.request({ method: 'POST', path: environmentsPath(ns), body: example });
  await phase('Ready', 240_000);
});

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(client, ns);
  client.close();
});

describe('sleep and wake on the full cluster', () => {
  it('sleeps after a minute without requests, with no pod left running', async () => {
    const asleep = await phase('Sleeping', 180_000);
    expect(asleep.status?.sleep?.reason).toBe('Idle');
    await waitFor('no running pod', async () => (await runningPods()) === 0, 90_000, 1000);
  }, 300_000);

  it('answers one request with the app after waking it', async () => {
    const answer = await httpGet(routerUrl, host, 180_000);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(APP_BODY);
    expect((await getEnvironment<VibeEnvironment>(client, ns, 'web'))?.status?.phase).toBe('Ready');
  }, 240_000);

  it('answers every one of concurrent requests during a wake', async () => {
    await environments.call('sleep', { name: 'web' });
    await phase('Sleeping', 60_000);
    await waitFor('no running pod', async () => (await runningPods()) === 0, 90_000, 1000);
    const answers = await Promise.all(Array.from({ length: 6 }, () => httpGet(routerUrl, host, 180_000)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.every((a) => a.body.includes(APP_BODY))).toBe(true);
  }, 300_000);

  it('sleeps in a schedule window and wakes at its end', async () => {
    const now = new Date();
    const minute = (ahead: number) => new Date(now.getTime() + ahead * 60_000).getUTCMinutes();
    await installCrds(client);
    await client.request({
      method: 'PATCH',
      path: environmentsPath(ns, 'web'),
      contentType: PATCH.merge,
      body: {
        spec: {
          sleep: {
            afterIdle: null,
            schedule: [{ sleep: `${minute(1)} * * * *`, wake: `${minute(2)} * * * *` }],
            timeZone: 'UTC',
          },
        },
      },
    });
    const asleep = await phase('Sleeping', 120_000);
    expect(asleep.status?.sleep?.reason).toBe('Schedule');
    await phase('Ready', 180_000);
    const answer = await httpGet(routerUrl, host, 30_000);
    expect(answer.status).toBe(200);
  }, 360_000);

  it('answers 503 with the reason when the image was removed while it slept, and shows the rollout diagnostic', async () => {
    tagNodeImage('localhost/vibe/busybox:test', DOOMED_IMAGE);
    await createEnvironment(client, ns, 'doomed', {
      intent: `A public web app, image ${DOOMED_IMAGE}, command "/bin/httpd -f -p 8080 -h /www", port 8080`,
      ttl: '30m',
    });
    await phase('Ready', 240_000, 'doomed');
    await environments.call('sleep', { name: 'doomed' });
    await phase('Sleeping', 60_000, 'doomed');
    await waitFor('no running pod', async () => (await runningPods('doomed')) === 0, 90_000, 1000);
    removeNodeImage(DOOMED_IMAGE);

    const answer = await httpGet(routerUrl, `doomed-${ns}.vibe.localhost`, 180_000);
    expect(answer.status).toBe(503);
    expect(answer.body).toContain('VIBE_WAKE_FAILED');
    expect(answer.body).toContain(DOOMED_IMAGE);
    // The failed rollout is reported, then goes to the planner like any other (the debugging loop;
    // the offline planner cannot revise, so the environment ends Failed with the diagnostic).
    const events = await eventsFor(client, ns, 'doomed');
    const rollout = events.find((e) => e.reason === 'RolloutFailed');
    expect(rollout?.type).toBe('Warning');
    expect(rollout?.message).toContain(`cannot pull image ${DOOMED_IMAGE}`);
    const env = await getEnvironment<VibeEnvironment>(client, ns, 'doomed');
    const ready = env?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('False');
    expect(ready?.message).toContain(`cannot pull image ${DOOMED_IMAGE}`);
  }, 420_000);
});
