import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { temporaryDirectory } from '../../test/support/temp-dir.js';

describe('loadConfig', () => {
  it('takes flags over env over the file, and freezes the result', async () => {
    const dir = temporaryDirectory('vibe-config-');
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'concurrency: 2\nmaxTtl: 1d\nlogLevel: debug\n');
    const config = await loadConfig(['--config', file, '--concurrency', '8'], { VIBE_MAX_TTL: '3d' });
    expect(config).toMatchObject({ concurrency: 8, maxTtl: '3d', logLevel: 'debug', leaderElect: false });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads --leader-elect as a boolean flag and VIBE_LEADER_ELECT=true from env', async () => {
    expect((await loadConfig(['--leader-elect'], {})).leaderElect).toBe(true);
    expect((await loadConfig([], { VIBE_LEADER_ELECT: 'true' })).leaderElect).toBe(true);
    expect((await loadConfig([], { VIBE_LEADER_ELECT: 'false' })).leaderElect).toBe(false);
  });

  it('names the key, its source and the reason for every bad value', async () => {
    const err = await loadConfig(['--concurrency', 'lots', '--max-ttl', 'banana'], {}).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('VIBE_CONFIG_INVALID');
    expect((err as ConfigError).message).toContain('concurrency (from flag --concurrency)');
    expect((err as ConfigError).message).toContain('maxTtl (from flag --max-ttl): must be a duration');
  });

  it('rejects unknown flags and unknown file keys', async () => {
    await expect(loadConfig(['--colour', 'x'], {})).rejects.toThrow(/Unknown option '--colour'/);
    const dir = temporaryDirectory('vibe-config-');
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'concurency: 2\n');
    await expect(loadConfig(['--config', file], {})).rejects.toThrow(/concurency/);
  });

  it('reads the lifecycle settings: planner, executor, previews, mirrors, negated booleans', async () => {
    const config = await loadConfig(
      [
        '--planner',
        'anthropic',
        '--executor',
        'process',
        '--preview-router',
        '--no-server-dry-run',
        '--image-mirrors',
        'docker.io/library/=localhost/vibe/',
      ],
      { VIBE_PREVIEW_DOMAIN: 'preview.example.com' },
    );
    expect(config).toMatchObject({
      planner: 'anthropic',
      executor: 'process',
      previewRouter: true,
      serverDryRun: false,
      previewDomain: 'preview.example.com',
      previewHostTemplate: '{name}-{namespace}.{previewDomain}',
      previewRouterAddress: '127.0.0.1:8088',
      nodeImagePrefixes: ['localhost/'],
      imageMirrors: [{ from: 'docker.io/library/', to: 'localhost/vibe/' }],
    });
    expect((await loadConfig([], {})).planner).toBe('offline');
  });

  it('reads the preview Gateway as namespace and name, with its listener and TLS', async () => {
    const config = await loadConfig(
      ['--preview-gateway', 'infra/preview', '--preview-gateway-section', 'https', '--preview-gateway-tls'],
      {},
    );
    expect(config).toMatchObject({
      previewGateway: { namespace: 'infra', name: 'preview' },
      previewGatewaySection: 'https',
      previewGatewayTls: true,
    });
    expect((await loadConfig([], {})).previewGateway).toBeUndefined();
  });

  it('names a bad preview Gateway and the settings that need one or exclude one', async () => {
    const bad = (await loadConfig(['--preview-gateway', 'preview'], {}).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(bad.message).toContain(
      'previewGateway (from flag --preview-gateway): must be NAMESPACE/NAME of a Gateway, e.g. infra/preview',
    );
    const orphan = (await loadConfig(['--preview-gateway-section', 'http'], {}).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(orphan.message).toContain(
      'previewGatewaySection (from flag --preview-gateway-section): applies to HTTPRoute previews only; set previewGateway',
    );
    const both = (await loadConfig(
      ['--preview-gateway', 'infra/preview', '--preview-tls-secret', 'wildcard'],
      {},
    ).catch((e: unknown) => e)) as ConfigError;
    expect(both.message).toContain(
      'previewTlsSecret (from flag --preview-tls-secret): is for Ingress previews',
    );
  });

  it('reads the preview controller as a namespace and pod labels, and names what excludes or needs them', async () => {
    const config = await loadConfig(
      ['--preview-controller-namespace', 'traefik', '--preview-controller-labels', 'app=traefik,tier=edge'],
      {},
    );
    expect(config).toMatchObject({
      previewControllerNamespace: 'traefik',
      previewControllerLabels: { app: 'traefik', tier: 'edge' },
    });
    const orphan = (await loadConfig(['--preview-controller-labels', 'app=traefik'], {}).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(orphan.message).toContain(
      "previewControllerLabels (from flag --preview-controller-labels): selects pods in the controller's namespace; set previewControllerNamespace",
    );
    const both = (await loadConfig(
      ['--preview-controller-namespace', 'traefik', '--preview-router'],
      {},
    ).catch((e: unknown) => e)) as ConfigError;
    expect(both.message).toContain(
      'previewControllerNamespace (from flag --preview-controller-namespace): names an in-cluster ingress controller, but previewRouter',
    );
    const bad = (await loadConfig(
      ['--preview-controller-namespace', 'Traefik', '--preview-controller-labels', 'app'],
      {},
    ).catch((e: unknown) => e)) as ConfigError;
    expect(bad.message).toContain(
      'previewControllerNamespace (from flag --preview-controller-namespace): must be a namespace name',
    );
    expect(bad.message).toContain(
      'previewControllerLabels (from flag --preview-controller-labels): must be KEY=VALUE pairs',
    );
  });

  it('names a bad mirror, router address or models key with the reason', async () => {
    const err = (await loadConfig(
      ['--image-mirrors', 'docker.io', '--preview-router-address', 'localhost', '--planner', 'static'],
      {},
    ).catch((e: unknown) => e)) as ConfigError;
    expect(err.message).toContain('must be FROM=TO prefix pairs');
    expect(err.message).toContain(
      'previewRouterAddress (from flag --preview-router-address): must be HOST:PORT',
    );
    const dir = temporaryDirectory('vibe-config-');
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'models:\n  providers: [{kind: offline}]\n');
    await expect(loadConfig(['--config', file], {})).rejects.toThrow(
      /models \(from config file .*\): is used only with planner anthropic or openai-compatible, not offline/,
    );
  });

  it("reads the pod executor's sandbox namespace and image from flags or VIBE_SANDBOX_* variables", async () => {
    const config = await loadConfig(['--executor', 'pod', '--sandbox-namespace', 'vibe-sandbox'], {
      VIBE_SANDBOX_IMAGE: 'registry.example/vibe/sandbox-runtime:1',
    });
    expect(config).toMatchObject({
      executor: 'pod',
      sandboxNamespace: 'vibe-sandbox',
      sandboxImage: 'registry.example/vibe/sandbox-runtime:1',
    });
    expect((await loadConfig([], {})).sandboxNamespace).toBe('default');
    await expect(loadConfig(['--sandbox-namespace', 'Sandbox_1'], {})).rejects.toThrow(
      /sandboxNamespace \(from flag --sandbox-namespace\): must be a namespace name/,
    );
  });

  it('checks the models and the policy document at start-up and names every bad key in one error', async () => {
    const dir = temporaryDirectory('vibe-config-');
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(
      policyFile,
      'apiVersion: policy.vibe.dev/v1alpha1\nmaxReplicas: -1\ndefaultResources:\n  requests: {cpu: 5, memory: 128Mi}\n  limits: {cpu: 500m, memory: 256Mi}\n',
    );
    const file = path.join(dir, 'c.yaml');
    writeFileSync(
      file,
      `planner: anthropic\nmodels:\n  providers: [{kind: anthropic, model: 42, colour: blue}]\npolicyFile: ${policyFile}\n`,
    );
    const err = (await loadConfig(['--config', file, '--concurrency', 'lots'], {}).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    const lines = err.message.split('\n').slice(1);
    expect(lines.map((line) => line.trim().split(' ')[0])).toEqual(
      expect.arrayContaining([
        'concurrency',
        'models.providers.0.model',
        'models.providers.0',
        'policy.maxReplicas',
        'policy.defaultResources.requests.cpu',
      ]),
    );
    expect(err.message).toContain(`policy.maxReplicas (from policy file ${policyFile})`);
    expect(err.message).toMatch(/models\.providers\.0\.model \(from config file .*\): /);
  });

  it('says when the policy file cannot be read, and freezes the config to the leaves', async () => {
    const err = (await loadConfig(['--policy-file', '/nonexistent/policy.yaml'], {}).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(err.message).toContain(
      'policyFile (from flag --policy-file): cannot read the policy file /nonexistent/policy.yaml',
    );
    const dir = temporaryDirectory('vibe-config-');
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(policyFile, 'apiVersion: policy.vibe.dev/v1alpha1\nmaxReplicas: 3\n');
    const config = await loadConfig(
      [
        '--policy-file',
        policyFile,
        '--preview-controller-namespace',
        'traefik',
        '--preview-controller-labels',
        'app=traefik',
      ],
      {},
    );
    expect(config.policy.maxReplicas).toBe(3);
    expect(Object.isFrozen(config.policy.defaultResources.requests)).toBe(true);
    expect(Object.isFrozen(config.policy.allowedKinds)).toBe(true);
    expect(Object.isFrozen(config.previewControllerLabels)).toBe(true);
    expect(Object.isFrozen(config.imageMirrors)).toBe(true);
  });
  it('reads the activator for an in-cluster controller and refuses what it cannot use', async () => {
    const config = await loadConfig(
      [
        '--activator-endpoint',
        '10.250.0.1:8089',
        '--preview-controller-address',
        '10.250.0.2:80',
        '--preview-controller-metrics',
        'http://10.244.0.3:8080/metrics',
      ],
      {},
    );
    expect(config).toMatchObject({
      activatorEndpoint: '10.250.0.1:8089',
      previewControllerAddress: '10.250.0.2:80',
      previewControllerMetrics: 'http://10.244.0.3:8080/metrics',
    });
    const refused = async (argv: string[]) =>
      ((await loadConfig(argv, {}).catch((e: unknown) => e)) as ConfigError).message;
    expect(await refused(['--activator-endpoint', '10.250.0.1:8089'])).toContain(
      'activatorEndpoint (from flag --activator-endpoint): sends woken requests back through the ingress controller; set previewControllerAddress',
    );
    for (const bad of ['activator.local:8089', '10.250.0.300:8089', '0.0.0.0:8089', '10.250.0.1:70000']) {
      expect(await refused(['--activator-endpoint', bad, '--preview-controller-address', 'x:80'])).toMatch(
        /activatorEndpoint \(from flag --activator-endpoint\): must be (IPV4:PORT|an IPv4 address other than 0\.0\.0\.0)/,
      );
    }
    expect(
      await refused([
        '--activator-endpoint',
        '10.0.0.1:1',
        '--preview-controller-address',
        'x:80',
        '--preview-router',
      ]),
    ).toContain(
      'activatorEndpoint (from flag --activator-endpoint): is for previews served by an in-cluster ingress controller',
    );
    expect(await refused(['--activator-address', '0.0.0.0:8089'])).toContain(
      'activatorAddress (from flag --activator-address): is where the activator listens; set activatorEndpoint',
    );
    expect(await refused(['--preview-controller-metrics', 'ftp://traefik/metrics'])).toContain(
      'previewControllerMetrics (from flag --preview-controller-metrics): must be an http(s) URL',
    );
  });
});
