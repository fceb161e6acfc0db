import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../../../test/replay/server.js';
import { modelGatewayConfigSchema } from './config.js';
import { createModelGateway } from './create-gateway.js';
import { ModelError } from './errors.js';
import { Secret } from './secret.js';

const ANTHROPIC_KEY = 'sk-ant-api03-LEAKCANARY-aaaaaaaaaaaaaaaa';
const OPENAI_KEY = 'sk-proj-LEAKCANARY-bbbbbbbbbbbbbbbbbbbb';

let server: ReplayServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

describe('API keys', () => {
  it('never appear in log output or error messages, even when a server echoes them', async () => {
    server = await startReplayServer({
      scenario: {
        anthropic: [{ status: 401, message: `invalid api key ${ANTHROPIC_KEY}` }],
        openai: [{ status: 500, message: `upstream rejected key ${OPENAI_KEY}` }],
        whenExhausted: 'repeat-last',
      },
    });
    dir = await mkdtemp(join(tmpdir(), 'vibe-key-'));
    const keyFile = join(dir, 'openai-key');
    await writeFile(keyFile, `${OPENAI_KEY}\n`);
    const config = modelGatewayConfigSchema.parse({
      providers: [
        { kind: 'anthropic', apiKey: ANTHROPIC_KEY, baseURL: server.url },
        { kind: 'openai-compatible', model: 'm', baseURL: `${server.url}/v1`, apiKeyFile: keyFile },
      ],
      retry: { maxRetries: 1 },
    });
    const output: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void output.push(line) });
    logger.info({ config }, 'model gateway config');
    const gateway = await createModelGateway(config, {
      registry: new Registry(),
      logger,
      offlinePlanner: () => ({ ok: true, script: '' }),
      sleep: async () => undefined,
    });

    const failure = await gateway
      .session({ environment: 'e/1' })
      .complete({ system: 's', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    logger.error({ err: failure }, 'planning failed');

    // The keys did reach the server, and the failures were logged: the absence below means something.
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${ANTHROPIC_KEY}`,
      `Bearer ${OPENAI_KEY}`,
      `Bearer ${OPENAI_KEY}`,
    ]);
    const logs = output.join('');
    expect(logs).toContain('VIBE_MODEL_AUTH_FAILED');
    expect(logs).toContain('VIBE_MODEL_SERVER_ERROR');
    expect(logs).toContain('[REDACTED]');
    expect(failure).toBeInstanceOf(ModelError);
    const error = failure as ModelError;
    const renderings = [
      logs,
      error.message,
      String(error.stack),
      JSON.stringify(error),
      inspect(error, { depth: 8 }),
    ];
    for (const text of renderings) {
      expect(text).not.toContain(ANTHROPIC_KEY);
      expect(text).not.toContain(OPENAI_KEY);
    }
  });

  it('print as a placeholder however a Secret is turned into text', () => {
    const secret = new Secret(ANTHROPIC_KEY);
    const renderings = [
      String(secret),
      `${secret}`,
      JSON.stringify({ secret }),
      inspect({ secret }, { depth: 5, showHidden: true }),
    ];
    for (const text of renderings) expect(text).not.toContain(ANTHROPIC_KEY);
    expect(secret.reveal()).toBe(ANTHROPIC_KEY);
  });

  it('stop start-up with a clear error when an anthropic provider has none', async () => {
    const failure = await createModelGateway(
      modelGatewayConfigSchema.parse({ providers: [{ kind: 'anthropic' }] }),
      {
        registry: new Registry(),
        logger: pino({ level: 'silent' }),
        offlinePlanner: () => ({ ok: true, script: '' }),
      },
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'VIBE_MODEL_API_KEY_MISSING' });
    expect((failure as Error).message).toContain("'anthropic'");
  });

  it('name an unreadable key file in the start-up error', async () => {
    const config = modelGatewayConfigSchema.parse({
      providers: [{ kind: 'anthropic', apiKeyFile: '/nonexistent/vibe/anthropic-key' }],
    });
    const failure = await createModelGateway(config, {
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      offlinePlanner: () => ({ ok: true, script: '' }),
    }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'VIBE_MODEL_API_KEY_MISSING' });
    expect((failure as Error).message).toContain('ENOENT');
  });
});
