/**
 * The entity card in Debian's Chromium, driven headless by playwright-core, against the backend
 * plugin in a real Backstage backend and the real API server: an environment goes Planning -> Ready,
 * its preview link shows, and the extend action moves its expiry. The last screenshot is kept in
 * backstage/test-results/.
 */
import { mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import vibePlugin from '@vibe-operator/plugin-vibe-backend';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import {
  createNamespace,
  deleteNamespace,
  environment,
  environmentsPath,
  installCrds,
  kubeconfigPath,
  testClient,
} from '../../test/support/kube.js';
import { OperatorProcess } from '../../test/support/operator-process.js';
import { servePage } from './card/page-server.js';
import { previewPlan } from './environments.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const slowPlanner = path.join(here, 'card/slow-manifest-planner.ts');
const artifacts = path.join(here, '../test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let kube: KubeClient;
let ns: string;
let operator: OperatorProcess;
let backend: TestBackend;
let page: Page;
let browser: Browser;
let closePage: () => Promise<void>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH.`);
  }
  kube = testClient();
  await installCrds(kube);
  ns = await createNamespace(kube, 'backstage-card');
  operator = await OperatorProcess.start(['--namespace', ns, '--planner-module', slowPlanner]);
  await operator.ready();
  const web: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'web', namespace: 'default', annotations: { 'vibe.dev/environments': `${ns}/web-` } },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'group:default/platform' },
  };
  backend = await startTestBackend({
    features: [
      vibePlugin,
      catalogServiceMock.factory({ entities: [web] }),
      mockServices.rootConfig.factory({ data: { vibe: { kubeconfig: kubeconfigPath(), namespace: ns } } }),
    ],
  });
  const served = await servePage((backend.server.address() as AddressInfo).port);
  closePage = served.close;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(`${served.url}?kind=component&namespace=default&name=web`);
});

afterAll(async () => {
  await browser?.close();
  await closePage?.();
  await backend?.stop();
  await operator?.stop();
  if (ns) await deleteNamespace(kube, ns);
  kube?.close();
});

describe('the entity card', () => {
  it('shows an environment going Planning -> Ready with its preview link, and extend moves its expiry', async () => {
    await page.getByText('No environments.').waitFor();
    await kube.request({
      method: 'POST',
      path: environmentsPath(ns),
      body: environment('web-card', { intent: previewPlan('web-card'), ttl: '2h' }),
    });
    const card = page.getByTestId('environment-web-card');
    const phase = card.getByTestId('phase');
    await expect.poll(() => phase.textContent(), { timeout: 30_000 }).toBe('Planning');
    await expect.poll(() => phase.textContent(), { timeout: 60_000 }).toBe('Ready');
    expect(await card.getByTestId('preview').getAttribute('href')).toBe(
      `http://web-card-${ns}.vibe.localhost/`,
    );
    expect(await card.getByTestId('conditions').textContent()).toContain('Ready: True');

    const expires = card.getByTestId('expires');
    const before = Date.parse((await expires.getAttribute('data-expires-at')) ?? '');
    expect(before).toBeGreaterThan(Date.now() + 60 * 60_000);
    await card.getByRole('button', { name: 'Extend by 1h' }).click();
    await expect
      .poll(async () => Date.parse((await expires.getAttribute('data-expires-at')) ?? '') - before, {
        timeout: 30_000,
      })
      .toBe(3600_000);
    expect(await expires.textContent()).toMatch(/^2h 5\dm left|^3h 0m left/);

    await card.getByRole('button', { name: 'Logs' }).click();
    expect(await card.getByTestId('logs').textContent()).toBe('No log lines.');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'entity-card.png'), fullPage: true });
  });
});
