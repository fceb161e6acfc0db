/** Writes a plan as the TypeScript program a model would write against `@vibe/sdk`. */
import type { BackingPlan, EnvironmentPlan, StaticSitePlan, WorkloadPlan } from './plan.js';

const q = (value: string) => JSON.stringify(value);

/** A variable for a block's value that never shadows the block functions it imports. */
function variable(name: string): string {
  return `${name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Ref`;
}

function objectLiteral(entries: [string, string | undefined][], indent = '  '): string {
  const lines = entries
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${indent}${k}: ${v},`);
  return `{\n${lines.join('\n')}\n${indent.slice(2)}}`;
}

function record(values: Record<string, string>, indent: string): string | undefined {
  const keys = Object.keys(values);
  if (!keys.length) return undefined;
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : q(k));
  return `{ ${keys.map((k) => `${key(k)}: ${q(values[k]!)}`).join(', ')} }`.length < 90
    ? `{ ${keys.map((k) => `${key(k)}: ${q(values[k]!)}`).join(', ')} }`
    : objectLiteral(
        keys.map((k) => [key(k), q(values[k]!)]),
        `${indent}  `,
      );
}

function backingStatement(b: BackingPlan): string {
  const spec = b.version ? `, { version: ${q(b.version)} }` : '';
  return `const ${variable(b.name)} = ${b.kind}(${q(b.name)}${spec});`;
}

function workloadStatement(w: WorkloadPlan, uses: string[]): string {
  const resources =
    w.cpu || w.memory
      ? `{ ${[w.cpu ? `cpu: ${q(w.cpu)}` : '', w.memory ? `memory: ${q(w.memory)}` : ''].filter(Boolean).join(', ')} }`
      : undefined;
  const spec = objectLiteral([
    ['schedule', w.schedule ? q(w.schedule) : undefined],
    ['image', q(w.image)],
    ['port', w.kind === 'webService' && w.port !== undefined ? String(w.port) : undefined],
    ['replicas', w.replicas !== undefined && w.kind !== 'cronJob' ? String(w.replicas) : undefined],
    ['command', w.command ? `[${w.command.map(q).join(', ')}]` : undefined],
    ['env', record(w.env, '  ')],
    ['resources', resources],
    ['healthPath', w.healthPath ? q(w.healthPath) : undefined],
    ['public', w.kind === 'webService' && w.public ? 'true' : undefined],
    ['uses', uses.length ? `[${uses.join(', ')}]` : undefined],
  ]);
  return `${w.kind}(${q(w.name)}, ${spec});`;
}

function siteStatement(s: StaticSitePlan): string {
  const spec = objectLiteral([
    ['files', record(s.files, '  ')],
    ['public', String(s.public)],
  ]);
  return `staticSite(${q(s.name)}, ${spec});`;
}

export function writeScript(intent: string, plan: EnvironmentPlan): string {
  const blocks = new Set<string>([
    ...plan.backing.map((b) => b.kind),
    ...plan.workloads.map((w) => w.kind),
    ...(plan.sites.length ? ['staticSite'] : []),
  ]);
  const header = [
    `// Planned offline from the intent: ${q(intent.replace(/\s+/g, ' ').trim())}`,
    ...plan.assumptions.map((a) => `// Assumed: ${a}`),
  ];
  const uses = plan.backing.map((b) => variable(b.name));
  const body = [
    ...plan.backing.map(backingStatement),
    ...plan.workloads.map((w) => workloadStatement(w, uses)),
    ...plan.sites.map(siteStatement),
  ];
  return `${header.join('\n')}\nimport { ${[...blocks].sort().join(', ')} } from '@vibe/sdk';\n\n${body.join('\n\n')}\n`;
}
