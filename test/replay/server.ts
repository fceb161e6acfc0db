import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import express, { type Request, type Response } from 'express';
import {
  isErrorStep,
  isRawStep,
  loadScenario,
  parseScenario,
  type ReplayApi,
  type Scenario,
  type ScenarioInput,
} from './scenario.js';
import { anthropicMessage, errorBody, openAICompletion } from './wire.js';

/**
 * A local stand-in for the Anthropic Messages API and OpenAI chat completions:
 * it answers from a scenario, in order, and logs every request so tests can
 * count and inspect what the real SDKs sent.
 *
 * Anthropic SDK: baseURL = url. OpenAI SDK: baseURL = `${url}/v1`.
 * Control routes for tests in another process: GET /_replay/requests,
 * POST /_replay/reset (optionally with a new scenario as the body).
 */

export interface LoggedRequest {
  api: ReplayApi;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** The status the server answered with. */
  status: number;
}

export interface ReplayServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly url: string;
  readonly requests: readonly LoggedRequest[];
  count(api: ReplayApi): number;
  /** Rewinds the scenario (or loads another) and clears the log. */
  reset(scenario?: ScenarioInput): void;
  close(): Promise<void>;
}

export interface ReplayServerOptions {
  scenario: ScenarioInput | Scenario;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

const API_PATHS: Record<ReplayApi, string> = {
  anthropic: '/v1/messages',
  openai: '/v1/chat/completions',
};

export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  let scenario = parseScenario(options.scenario);
  const served: Record<ReplayApi, number> = { anthropic: 0, openai: 0 };
  const requests: LoggedRequest[] = [];
  const seenPrefixes = new Set<string>();
  let serial = 0;

  const reset = (next?: ScenarioInput) => {
    if (next !== undefined) scenario = parseScenario(next);
    served.anthropic = 0;
    served.openai = 0;
    requests.length = 0;
    seenPrefixes.clear();
  };

  const answer = async (api: ReplayApi, req: Request, res: Response) => {
    const entry: LoggedRequest = {
      api,
      path: req.path,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: req.body,
      status: 0,
    };
    requests.push(entry);
    const steps = scenario[api];
    const index = served[api];
    served[api] += 1;
    const step =
      index < steps.length
        ? steps[index]
        : scenario.whenExhausted === 'repeat-last'
          ? steps.at(-1)
          : undefined;
    serial += 1;
    if (!step) {
      entry.status = 418;
      res
        .status(418)
        .json(
          errorBody(
            api,
            418,
            `replay scenario '${scenario.name}' has no answer left for ${api} (request ${index + 1}, ${steps.length} scripted)`,
          ),
        );
      return;
    }
    if (step.delayMs) await delay(step.delayMs);
    if (res.destroyed || req.socket.destroyed) return;
    for (const [name, value] of Object.entries(step.headers ?? {})) res.setHeader(name, value);
    res.setHeader('request-id', `req_replay_${serial}`);
    if (isRawStep(step)) {
      entry.status = step.status;
      res.status(step.status).json(step.raw);
    } else if (isErrorStep(step)) {
      entry.status = step.status;
      res
        .status(step.status)
        .json(errorBody(api, step.status, step.message ?? `scripted HTTP ${step.status}`));
    } else {
      entry.status = 200;
      res.json(
        api === 'anthropic'
          ? anthropicMessage(req.body, step, serial, seenPrefixes)
          : openAICompletion(req.body, step, serial),
      );
    }
  };

  const app = express();
  app.use(express.json({ limit: '20mb' }));
  app.post(API_PATHS.anthropic, (req, res) => answer('anthropic', req, res));
  app.post(API_PATHS.openai, (req, res) => answer('openai', req, res));
  app.get('/_replay/requests', (_req, res) => {
    res.json({ counts: { ...served }, requests });
  });
  app.post('/_replay/reset', (req, res) => {
    try {
      reset(req.body && Object.keys(req.body).length ? req.body : undefined);
      res.json({ ok: true });
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
    }
  });
  app.use((req, res) => {
    res.status(404).json({ error: `the replay server does not serve ${req.method} ${req.path}` });
  });

  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    requests,
    count: (api) => requests.filter((r) => r.api === api).length,
    reset,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  if (!values.scenario) {
    process.stderr.write('usage: npx tsx test/replay/server.ts --scenario FILE [--port N] [--host H]\n');
    process.exitCode = 2;
    return;
  }
  const server = await startReplayServer({
    scenario: loadScenario(values.scenario),
    port: Number(values.port),
    host: values.host,
  });
  process.stdout.write(`${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
