/**
 * `vibe plan`: intent -> script -> sandbox -> the operator's checks (its rewrites, the policy gate
 * and, with --kubeconfig, the server-side dry-run as the environment's applier) -> manifests.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { formatDiagnostic } from '../../agent/diagnostics.js';
import { runAgent, type AgentOutcome } from '../../agent/loop.js';
import { modelAuthor } from '../../agent/model-author.js';
import { offlineAuthor } from '../../agent/offline-author.js';
import { AuthorUnavailableError, type ScriptAuthor } from '../../agent/script-author.js';
import { toolCallingAuthor } from '../../agent/tool-calling-author.js';
import {
  createModelGateway,
  gatewayConfigFromEnv,
  modelGatewayConfigSchema,
  compileIntent,
} from '../../models/index.js';
import { ApplyError } from '../../environment/index.js';
import type { PolicyDocument } from '../../policy/index.js';
import type { Command } from '../main.js';
import { CHECK_FLAGS, exitCodeFor, EXIT, openChecks, openExecutor, writeAudit } from './pipeline-options.js';
import { parseCommand } from '../parse-command.js';

const USAGE =
  'Usage: vibe plan [--planner offline|anthropic|openai-compatible] [--mode code|tool-calling]\n' +
  '                 [--executor runsc|pod|process]\n' +
  '                 [--config OPERATOR-CONFIG] [--environment NS/NAME] [--policy FILE]\n' +
  '                 [--kubeconfig FILE] [--namespace NS] [--max-attempts N]\n' +
  '                 [--audit FILE] [-o yaml|json] "<intent>"\n';

const PLANNERS = ['offline', 'anthropic', 'openai-compatible'];
type ModelPlanner = 'anthropic' | 'openai-compatible';

/** A model author over a gateway configured from the environment (ANTHROPIC_API_KEY, OPENAI_BASE_URL...). */
async function openModelAuthor(
  kind: ModelPlanner,
  policy: PolicyDocument,
  maxAttempts: number,
  toolCalling: boolean,
): Promise<ScriptAuthor | number> {
  try {
    const config = modelGatewayConfigSchema.parse(gatewayConfigFromEnv(kind, process.env));
    const gateway = await createModelGateway(config, {
      registry: new Registry(),
      logger: pino({ level: 'warn' }, pino.destination(2)),
      offlinePlanner: compileIntent,
    });
    const session = gateway.session({ environment: 'cli/plan', budget: { maxAttempts } });
    return toolCalling ? toolCallingAuthor({ session, policy }) : modelAuthor({ session, policy });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    process.stderr.write(`vibe plan: ${code}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
}

function render(outcome: AgentOutcome, output: string): string {
  if (output === 'json') {
    return `${JSON.stringify({
      script: outcome.script ?? null,
      manifests: outcome.manifests,
      attempts: outcome.attempts.length,
      diagnostics: outcome.diagnostics,
      usage: outcome.usage,
    })}\n`;
  }
  return outcome.manifests.map((m) => `---\n${stringify(m)}`).join('');
}

/** What is wrong with the command line, as `vibe plan` says it after its name, or undefined. */
function usageProblem(
  intent: string,
  values: { output: string; mode: string; planner: string },
  maxAttempts: number,
): string | undefined {
  if (!intent) return `give the intent as an argument.\n${USAGE}`;
  if (!['yaml', 'json'].includes(values.output)) return `-o must be yaml or json, not "${values.output}".\n`;
  if (values.mode !== 'code' && values.mode !== 'tool-calling') {
    return `--mode must be code or tool-calling, not "${values.mode}".\n`;
  }
  if (!PLANNERS.includes(values.planner)) {
    return `--planner must be one of ${PLANNERS.join(', ')}, not "${values.planner}".\n`;
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    return '--max-attempts must be a positive integer.\n';
  return undefined;
}

export const command: Command = {
  summary: 'Plan an environment from an intent and print its validated manifests',
  async run(argv) {
    const parsed = parseCommand('plan', USAGE, argv, {
      planner: { type: 'string', default: 'offline' },
      mode: { type: 'string', default: 'code' },
      executor: { type: 'string', default: 'runsc' },
      kubeconfig: { type: 'string' },
      ...CHECK_FLAGS,
      'max-attempts': { type: 'string', default: '4' },
      audit: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'yaml' },
    });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const intent = positionals.join(' ').trim();
    const maxAttempts = Number(values['max-attempts']);
    const problem = usageProblem(intent, values, maxAttempts);
    if (problem) {
      process.stderr.write(`vibe plan: ${problem}`);
      return EXIT.usage;
    }
    const executor = await openExecutor(values.executor, values.kubeconfig);
    if (typeof executor === 'number') return executor;
    const opened = await openChecks('plan', values);
    if (typeof opened === 'number') return opened;
    const { policy, checks } = opened;

    const author =
      values.planner === 'offline'
        ? offlineAuthor
        : await openModelAuthor(
            values.planner as ModelPlanner,
            policy,
            maxAttempts,
            values.mode === 'tool-calling',
          );
    if (typeof author === 'number') return author;
    let outcome: AgentOutcome;
    try {
      outcome = await runAgent({
        intent,
        author,
        executor,
        ...checks,
        maxAttempts,
      });
    } catch (error) {
      if (error instanceof ApplyError) {
        process.stderr.write(
          `vibe plan: the dry-run could not run: ${error.code}: ${error.message} ` +
            "It runs as the environment's applier, so --namespace (or --environment) must name an environment the operator has isolated.\n",
        );
        return EXIT.unavailable;
      }
      if (!(error instanceof AuthorUnavailableError)) throw error;
      process.stderr.write(`vibe plan: ${error.reason}: ${error.message}\n`);
      return EXIT.unavailable;
    }
    if (values.audit) writeAudit(values.audit, intent, outcome);
    if (!outcome.ok && outcome.failure?.refused) {
      process.stderr.write(`vibe plan: ${outcome.failure.message}\n`);
      return EXIT.refused;
    }
    process.stdout.write(render(outcome, values.output));
    if (!outcome.ok) {
      for (const d of outcome.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      process.stderr.write(`vibe plan: ${outcome.failure!.code}: ${outcome.failure!.message}\n`);
    }
    return exitCodeFor(outcome);
  },
};
