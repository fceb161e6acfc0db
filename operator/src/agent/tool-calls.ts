/**
 * The tool-calling baseline: the model calls one tool per block (JSON in, no code), and the calls are
 * written out as the equivalent script, so both modes pass the same gates and yield the same manifests.
 */
import { SDK_MODULE, toolDefinitions } from '../../../sandbox-runtime/sdk/typings.js';
import type { Diagnostic } from './diagnostics.js';

export interface ToolCall {
  readonly name: string;
  readonly input: unknown;
}

export type CallsToScript = { ok: true; script: string } | { ok: false; diagnostics: Diagnostic[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function scriptFromToolCalls(calls: readonly ToolCall[]): CallsToScript {
  const known = new Set(toolDefinitions().map((t) => t.name));
  const diagnostics: Diagnostic[] = [];
  const statements: string[] = [];
  const used = new Set<string>();
  calls.forEach((call, i) => {
    const problem = (message: string) =>
      diagnostics.push({
        gate: 'author',
        code: 'VIBE_AGENT_BAD_TOOL_CALL',
        message: `call ${i + 1} (${call.name}): ${message}`,
      });
    if (!known.has(call.name))
      return problem(`there is no tool "${call.name}"; use one of ${[...known].join(', ')}.`);
    if (!isObject(call.input)) return problem('the input must be a JSON object.');
    used.add(call.name);
    if (call.name === 'apiObject') {
      statements.push(`apiObject(${JSON.stringify(call.input.object ?? null)});`);
      return;
    }
    const spec = call.input.spec === undefined ? '' : `, ${JSON.stringify(call.input.spec)}`;
    statements.push(`${call.name}(${JSON.stringify(call.input.name ?? null)}${spec});`);
  });
  if (diagnostics.length) return { ok: false, diagnostics };
  const imports = `import { ${[...used].sort().join(', ')} } from '${SDK_MODULE}';`;
  return { ok: true, script: `${imports}\n\n${statements.join('\n')}\n` };
}
