/**
 * `vibe selftest`: the chart's `helm test`. Creates a small VibeEnvironment, waits for Ready, fetches
 * its preview and deletes it, so an install is proven end to end by the path a user takes.
 */
import http from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { parseDuration } from '../../api/duration.js';
import { API_VERSION } from '../../api/group.js';
import { PLURAL } from '../../api/vibe-environment.js';
import { isApiError } from '../../reconciler/errors.js';
import { KubeClient } from '../../reconciler/kube-client.js';
import type { Command } from '../main.js';
import { parseCommand } from '../parse-command.js';

const USAGE = `Usage: vibe selftest --namespace NS --intent TEXT [--name NAME] [--preview-address URL] [--timeout 3m]

Creates VibeEnvironment NAME (default vibe-selftest) in NS with the intent, waits for phase Ready,
GETs its status.previewUrl (through --preview-address, e.g. the ingress controller's Service, with
the preview's host in the Host header) and deletes it. Exits 0 when all of that worked, 1 otherwise.
`;

interface EnvironmentView {
  status?: { phase?: string; previewUrl?: string; conditions?: { type: string; message?: string }[] };
}

const POLL_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GETs `url`, through `address` with the url's host as Host when given; resolves to status and body. */
function fetchPreview(url: URL, address: string): Promise<{ status: number; body: string }> {
  const target = address ? new URL(address) : url;
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: target.hostname,
        port: target.port || 80,
        path: `${url.pathname}${url.search}`,
        headers: { host: url.host },
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target.host} within 10 s`)));
    req.on('error', reject);
  });
}

export const command: Command = {
  summary: 'Create a small environment, wait for Ready, fetch its preview and delete it (helm test)',
  async run(argv) {
    const parsed = parseCommand('selftest', USAGE, argv, {
      namespace: { type: 'string' },
      intent: { type: 'string' },
      name: { type: 'string', default: 'vibe-selftest' },
      'preview-address': { type: 'string', default: '' },
      timeout: { type: 'string', default: '3m' },
    });
    if (typeof parsed === 'number') return parsed;
    const { namespace, intent, name, timeout } = parsed.values;
    if (!namespace || !intent) {
      process.stderr.write(`vibe selftest: --namespace and --intent are required.\n${USAGE}`);
      return 2;
    }
    const deadline = Date.now() + parseDuration(timeout);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault();
    const client = new KubeClient(kubeConfig);
    const path = `/apis/${API_VERSION}/namespaces/${namespace}/${PLURAL}`;
    const log = (line: string) => process.stdout.write(`selftest: ${line}\n`);
    try {
      await client.request({ method: 'DELETE', path: `${path}/${name}` }).catch((err: unknown) => {
        if (!isApiError(err, 404)) throw err;
      });
      await client.request({
        method: 'POST',
        path,
        body: {
          apiVersion: API_VERSION,
          kind: 'VibeEnvironment',
          metadata: { name },
          spec: { intent, ttl: '30m' },
        },
      });
      log(`created VibeEnvironment ${namespace}/${name}`);
      let env: EnvironmentView = {};
      while (env.status?.phase !== 'Ready') {
        if (env.status?.phase === 'Failed' || Date.now() > deadline) {
          const reason = env.status?.conditions?.map((c) => `${c.type}: ${c.message ?? ''}`).join('; ');
          throw new Error(
            `phase ${env.status?.phase ?? 'none'} instead of Ready (${reason ?? 'no conditions'})`,
          );
        }
        await sleep(POLL_MS);
        env = await client.request<EnvironmentView>({ method: 'GET', path: `${path}/${name}` });
      }
      const url = env.status?.previewUrl;
      if (!url) throw new Error('Ready without status.previewUrl');
      log(`Ready; preview ${url}`);
      let answer = { status: 0, body: '' };
      while (answer.status !== 200) {
        if (Date.now() > deadline) throw new Error(`the preview answered ${answer.status}, not 200`);
        answer = await fetchPreview(new URL(url), parsed.values['preview-address']).catch((err: unknown) => ({
          status: 0,
          body: String(err),
        }));
        if (answer.status !== 200) await sleep(POLL_MS);
      }
      log(`preview answered 200: ${answer.body.trim().split('\n')[0] ?? ''}`);
      await client.request({ method: 'DELETE', path: `${path}/${name}` });
      while (Date.now() < deadline) {
        const gone = await client
          .request({ method: 'GET', path: `${path}/${name}` })
          .then(() => false)
          .catch((err: unknown) => (isApiError(err, 404) ? true : Promise.reject(err)));
        if (gone) {
          log('deleted');
          return 0;
        }
        await sleep(POLL_MS);
      }
      throw new Error(`VibeEnvironment ${namespace}/${name} still exists after ${timeout}`);
    } catch (err) {
      process.stderr.write(`vibe selftest: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
};
