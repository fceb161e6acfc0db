import { beforeEach, describe, expect, it } from 'vitest';
import { beginEnvironment, currentEnvironment } from './environment.js';
import { cronJob, postgres, redis, staticSite, webService, worker, apiObject } from './index.js';

// Synthesized manifests are untyped JSON; the assertions below index into them freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

function synth(): Obj[] {
  return currentEnvironment().synth() as Obj[];
}
const byKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);

describe('environment SDK', () => {
  beforeEach(() => {
    beginEnvironment({ seed: 'test', previewDomain: 'preview.example.com', ingressClass: 'nginx' });
  });

  it('gives a web service safe defaults: non-root, read-only root, no capabilities, requests, limits and probes', () => {
    webService('api', { image: 'ghcr.io/acme/api:1', port: 8080 });
    const [deployment] = byKind(synth(), 'Deployment');
    const pod = deployment!.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(container.readinessProbe.tcpSocket.port).toBe(8080);
    expect(container.livenessProbe.tcpSocket.port).toBe(8080);
    expect(container.readinessProbe.periodSeconds).toBe(2);
    expect(container.livenessProbe.periodSeconds).toBeUndefined();
    expect(container.startupProbe).toEqual({
      tcpSocket: { port: 8080 },
      periodSeconds: 1,
      failureThreshold: 30,
    });
    expect(container.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'scratch-0' }]);
  });

  it('exposes a public service through an Ingress on the preview domain and keeps private ones inside', () => {
    webService('web', { image: 'ghcr.io/acme/web:1', port: 3000, public: true });
    webService('api', { image: 'ghcr.io/acme/api:1', port: 8000 });
    const objects = synth();
    const ingresses = byKind(objects, 'Ingress');
    expect(ingresses).toHaveLength(1);
    expect(ingresses[0]!.spec.ingressClassName).toBe('nginx');
    expect(ingresses[0]!.spec.rules[0].host).toBe('web.preview.example.com');
    expect(ingresses[0]!.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: 'web',
      port: { number: 3000 },
    });
    expect(byKind(objects, 'Service').map((s) => s.metadata.name)).toEqual(['web', 'api']);
  });

  it('hands a database connection to the workloads that use it through a Secret', () => {
    const db = postgres('db', { version: '16' });
    webService('api', { image: 'ghcr.io/acme/api:1', uses: [db] });
    worker('jobs', { image: 'ghcr.io/acme/jobs:1', uses: ['db'] });
    const objects = synth();
    const secret = byKind(objects, 'Secret')[0]!;
    expect(secret.metadata.name).toBe('db-connection');
    expect(secret.stringData.DATABASE_URL).toMatch(/^postgres:\/\/app:[\w-]{24}@db:5432\/app$/);
    const [database, api, jobs] = byKind(objects, 'Deployment');
    expect(database!.spec.template.spec.containers[0].image).toBe('docker.io/library/postgres:16-alpine');
    expect(database!.spec.template.spec.containers[0].readinessProbe.periodSeconds).toBe(2);
    expect(database!.spec.template.spec.containers[0].startupProbe.periodSeconds).toBe(1);
    for (const d of [api!, jobs!]) {
      expect(d.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'db-connection' } }]);
    }
  });

  it('derives credentials from the seed so two runs synthesize the same manifests', () => {
    redis('cache');
    const first = JSON.stringify(synth());
    beginEnvironment({ seed: 'test', previewDomain: 'preview.example.com', ingressClass: 'nginx' });
    redis('cache');
    expect(JSON.stringify(synth())).toBe(first);
  });

  it('writes a CronJob with the given schedule', () => {
    cronJob('nightly', { schedule: '30 2 * * *', image: 'ghcr.io/acme/etl:7', env: { MODE: 'full' } });
    const [job] = byKind(synth(), 'CronJob');
    expect(job!.spec.schedule).toBe('30 2 * * *');
    expect(job!.spec.concurrencyPolicy).toBe('Forbid');
    expect(job!.spec.jobTemplate.spec.template.spec.containers[0].env).toEqual([
      { name: 'MODE', value: 'full' },
    ]);
  });

  it('uses the given CPU and memory as request and limit', () => {
    webService('api', { image: 'x:1', resources: { cpu: '0.5', memory: '1Gi' } });
    const [d] = byKind(synth(), 'Deployment');
    expect(d!.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '500m', memory: '1024Mi' },
      limits: { cpu: '500m', memory: '1024Mi' },
    });
  });

  it('serves a static site from a ConfigMap', () => {
    staticSite('site', { files: { 'index.html': '<h1>hi</h1>' } });
    const objects = synth();
    expect(byKind(objects, 'ConfigMap')[0]!.data).toEqual({ 'index.html': '<h1>hi</h1>' });
    expect(byKind(objects, 'Ingress')).toHaveLength(1);
  });

  it('passes any other object through apiObject', () => {
    apiObject({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'pdb' },
      spec: { minAvailable: 1 },
    });
    expect(synth()).toEqual([
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'pdb' },
        spec: { minAvailable: 1 },
      },
    ]);
  });

  it('explains a bad spec by block, name and field', () => {
    expect(() => webService('api', { image: 'x:1', port: 70000 })).toThrow(
      /webService\("api"\): port: .*65535/,
    );
    expect(() => webService('api', { image: 'x:1', color: 'red' } as never)).toThrow(
      /Unrecognized key.*color/,
    );
  });

  it('refuses duplicate and invalid names and unknown dependencies', () => {
    webService('api', { image: 'x:1' });
    expect(() => redis('api')).toThrow(/already used/);
    expect(() => redis('Bad_Name')).toThrow(/lowercase DNS label/);
    expect(() => worker('w', { image: 'x:1', uses: ['nothing'] })).toThrow(
      /uses "nothing", but no backing service/,
    );
  });
});
