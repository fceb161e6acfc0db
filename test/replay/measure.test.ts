import { describe, expect, it } from 'vitest';
import { compareModes, measureConversation, type Conversation } from './measure.js';

const system = 'You plan ephemeral Kubernetes environments.';
const typings =
  'declare function webService(name: string, spec: { image: string; port?: number }): void;\n'.repeat(20);
const tools = [
  { name: 'webService', description: 'Adds a web service.', inputSchema: { type: 'object', properties: {} } },
  { name: 'redis', description: 'Adds a Redis cache.', inputSchema: { type: 'object', properties: {} } },
];
const intent = 'nginx on port 8080 with a redis cache';

const codeMode: Conversation = {
  intent,
  system,
  typings,
  turns: [{ text: "webService('web', { image: 'nginx', port: 8080 });\nredis('cache');" }],
};

const toolCalling: Conversation = {
  intent,
  system,
  tools,
  turns: [
    { toolCalls: [{ name: 'webService', input: { name: 'web', image: 'nginx', port: 8080 } }] },
    { toolCalls: [{ name: 'redis', input: { name: 'cache' } }] },
    { text: 'Done.' },
  ],
};

describe('measureConversation', () => {
  it('counts one round trip per model turn and tokens for each', async () => {
    const { codeMode: code, toolCalling: calls } = await compareModes(codeMode, toolCalling);
    expect(code.roundTrips).toBe(1);
    expect(calls.roundTrips).toBe(3);
    expect(code.usage.tokens.outputTokens).toBeGreaterThan(0);
    expect(code.usage.tokens.cacheCreationTokens).toBeGreaterThan(0);
    // The tool-calling prompt is cached after its first turn, so later turns read it back.
    expect(calls.usage.tokens.cacheReadTokens).toBeGreaterThan(0);
    expect(calls.requestBytes).toBeGreaterThan(0);
  });

  it('sends diagnostics after a failed script and counts the fix', async () => {
    const cost = await measureConversation(
      {
        ...codeMode,
        turns: [{ text: 'webService(42);' }, { text: "webService('web', { image: 'nginx' });" }],
        feedback: () =>
          'error TS2345: Argument of type number is not assignable to parameter of type string.',
      },
      'openai',
    );
    expect(cost.roundTrips).toBe(2);
    expect(cost.usage.attempts).toBe(2);
    expect(cost.usage.tokens.inputTokens).toBeGreaterThan(0);
  });
});
