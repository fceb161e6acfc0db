import { writeFileSync } from 'node:fs';
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
  type Step,
} from './scenario.js';
import { forward, type Upstreams } from './recorder.js';
import { anthropicMessage, errorBody, openAICompletion } from './wire.js';

/**
 * A local stand-in for the Anthropic Messages API and OpenAI chat completions:
 * it answers from a scenario, in order, and logs every request so tests can
 * count and inspect what the real SDKs sent.
 *
 * Anthropic SDK: baseURL = url. OpenAI SDK: baseURL = `${url}/v1`.
 * Control routes for tests in another process: GET /_replay/requests,
 * POST /_replay/reset (optionally with a new scenario as the body).
 *
 * Record mode: requests for an API with an upstream go to the real API, and
 * each answer is appended to the scenario as a raw step, so a live session
 * becomes a fixture (`scenario()` returns it).
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
  /** The most model requests this server had open at once. */
  maxInFlight(): number;
  /** Rewinds the scenario (or loads another) and clears the log. */
  reset(scenario?: ScenarioInput): void;
  /** The scenario as it stands, recorded steps included. */
  scenario(): Scenario;
  close(): Promise<void>;
}

export interface ReplayServerOptions {
  scenario: ScenarioInput | Scenario;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** APIs to record from instead of replaying, by the base URL their SDK would use. */
  record?: Upstreams;
  /** Called after each recorded exchange, e.g. to save the fixture as it grows. */
  onRecord?: (scenario: Scenario) => void;
}

const API_PATHS: Record<ReplayApi, string> = {
  anthropic: '/v1/messages',
  openai: '/v1/chat/completions',
};

export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  let scenario = parseScenario(options.scenario);
  const served: Record<ReplayApi, Set<number>> = { anthropic: new Set(), openai: new Set() };
  const requests: LoggedRequest[] = [];
  const seenPrefixes = new Set<string>();
  let serial = 0;
  const count = (api: ReplayApi) => requests.filter((r) => r.api === api).length;
  let inFlight = 0;
  let maxInFlight = 0;

  const reset = (next?: ScenarioInput) => {
    if (next !== undefined) scenario = parseScenario(next);
    served.anthropic.clear();
    served.openai.clear();
    requests.length = 0;
    seenPrefixes.clear();
    maxInFlight = inFlight;
  };

  const nextStep = async (api: ReplayApi, req: Request): Promise<Step | undefined> => {
    const upstream = options.record?.[api];
    if (upstream) {
      const recorded = await forward(api, upstream, req);
      scenario[api].push(recorded);
      options.onRecord?.(structuredClone(scenario));
      return recorded;
    }
    const body = JSON.stringify(req.body);
    const fits = (step: Step) => step.match === undefined || body.includes(step.match);
    const steps = scenario[api];
    const next = steps.findIndex((step, i) => !served[api].has(i) && fits(step));
    if (next >= 0) {
      served[api].add(next);
      return steps[next];
    }
    return scenario.whenExhausted === 'repeat-last' ? steps.findLast(fits) : undefined;
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
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => (inFlight -= 1));
    let step: Step | undefined;
    try {
      step = await nextStep(api, req);
    } catch (error) {
      entry.status = 502;
      res.status(502).json(errorBody(api, 502, `recording failed: ${(error as Error).message}`));
      return;
    }
    serial += 1;
    if (!step) {
      entry.status = 418;
      const scripted = scenario[api].length;
      const message = `replay scenario '${scenario.name}' has no answer left for this ${api} request (${served[api].size} of ${scripted} served)`;
      res.status(418).json(errorBody(api, 418, message));
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
    res.json({ counts: { anthropic: count('anthropic'), openai: count('openai') }, requests });
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
    count,
    maxInFlight: () => maxInFlight,
    reset,
    scenario: () => structuredClone(scenario),
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
      record: { type: 'string' },
      'upstream-anthropic': { type: 'string' },
      'upstream-openai': { type: 'string' },
    },
  });
  const upstreams: Upstreams = {
    ...(values['upstream-anthropic'] && { anthropic: values['upstream-anthropic'] }),
    ...(values['upstream-openai'] && { openai: values['upstream-openai'] }),
  };
  const recording = values.record !== undefined;
  if (!values.scenario === !recording || recording !== Object.keys(upstreams).length > 0) {
    process.stderr.write(
      'usage: npx tsx test/replay/server.ts --scenario FILE [--port N] [--host H]\n' +
        '       npx tsx test/replay/server.ts --record FILE [--upstream-anthropic URL] [--upstream-openai URL] (one at least)\n',
    );
    process.exitCode = 2;
    return;
  }
  const record = values.record;
  const server = await startReplayServer({
    scenario: values.scenario ? loadScenario(values.scenario) : { name: 'recorded' },
    port: Number(values.port),
    host: values.host,
    ...(record && {
      record: upstreams,
      onRecord: (scenario: Scenario) => writeFileSync(record, `${JSON.stringify(scenario, null, 2)}\n`),
    }),
  });
  process.stdout.write(`${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
