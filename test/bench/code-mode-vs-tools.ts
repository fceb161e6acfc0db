/**
 * Model round-trips and tokens for Code Mode against tool calling on the sample intents, through the
 * real gateway and SDK against the replay server. The model's answers are what the offline planner
 * plans: in Code Mode its whole program in one turn, in tool calling one block call per turn and a
 * closing turn, as a tool-calling agent works.
 */
import { readFileSync } from 'node:fs';
import { systemPrompt, sdkTypings } from '../../operator/src/agent/prompt.js';
import { compileIntent, type EnvironmentPlan } from '../../operator/src/models/index.js';
import { DEFAULT_POLICY } from '../../operator/src/policy/index.js';
import { toolDefinitions } from '../../sandbox-runtime/sdk/typings.js';
import { compareModes, type ConversationCost } from '../replay/measure.js';
import type { AnswerStep } from '../replay/scenario.js';

export interface ModeRow {
  readonly intent: string;
  readonly codeMode: ConversationCost;
  readonly toolCalling: ConversationCost;
}

function toolCalls(plan: EnvironmentPlan): { name: string; input: Record<string, unknown> }[] {
  const backing = plan.backing.map((b) => ({
    name: b.kind,
    input: { name: b.name, ...(b.version && { spec: { version: b.version } }) },
  }));
  const workloads = plan.workloads.map((w) => ({
    name: w.kind,
    input: {
      name: w.name,
      spec: {
        ...(w.schedule && { schedule: w.schedule }),
        image: w.image,
        ...(w.kind === 'webService' && { port: w.port, public: w.public }),
        ...(w.replicas !== undefined && w.kind !== 'cronJob' && { replicas: w.replicas }),
        ...(Object.keys(w.env).length && { env: w.env }),
        ...((w.cpu || w.memory) && {
          resources: { ...(w.cpu && { cpu: w.cpu }), ...(w.memory && { memory: w.memory }) },
        }),
        ...(plan.backing.length && { uses: plan.backing.map((b) => b.name) }),
      },
    },
  }));
  const sites = plan.sites.map((s) => ({
    name: 'staticSite',
    input: { name: s.name, spec: { files: s.files, public: s.public } },
  }));
  return [...backing, ...workloads, ...sites];
}

export async function compareOnSamples(samplesPath: string): Promise<ModeRow[]> {
  const samples = JSON.parse(readFileSync(samplesPath, 'utf8')) as { intent: string }[];
  const system = systemPrompt(DEFAULT_POLICY, {});
  const tools = toolDefinitions().map((t) => ({
    name: t.name,
    description: t.description,
    inputSchema: t.inputSchema,
  }));
  const rows: ModeRow[] = [];
  for (const { intent } of samples) {
    const planned = compileIntent(intent);
    if (!planned.ok) continue;
    const calls: AnswerStep[] = toolCalls(planned.plan).map((call) => ({ toolCalls: [call] }));
    const costs = await compareModes(
      { intent, system, typings: sdkTypings(), turns: [{ text: `\`\`\`ts\n${planned.script}\`\`\`` }] },
      { intent, system, tools, turns: [...calls, { text: 'The environment is declared.' }] },
    );
    rows.push({ intent, ...costs });
  }
  return rows;
}
