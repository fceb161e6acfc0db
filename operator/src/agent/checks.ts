/**
 * The gates a script's output passes after the sandbox, in the one order that makes the checked
 * manifests the applied ones: the operator's own rewrites first (preview exposure, image mirrors,
 * node images), then the policy gate, then the server-side dry-run. Whatever passes is hashed; the
 * lifecycle applies only manifests with that hash. `vibe plan`, `vibe policy check` and the
 * operator all run these through environment/planning/plan-checks.ts.
 */
import { createHash } from 'node:crypto';
import {
  evaluatePolicy,
  type GatewayParent,
  type PolicyContext,
  type PolicyDocument,
} from '../policy/index.js';
import type { GateRecord } from './audit.js';
import type { Diagnostic, Gate } from './diagnostics.js';

export type DryRun = (manifests: Record<string, unknown>[]) => Promise<Diagnostic[]>;

/** The operator's rewrites of a script's output; a route it cannot expose comes back as diagnostics. */
export type Rewrite = (manifests: Record<string, unknown>[]) => {
  manifests: Record<string, unknown>[];
  diagnostics: Diagnostic[];
};

export interface PlanChecks {
  readonly policy: PolicyDocument;
  /** The environment's namespace; objects get it, and any other namespace is refused. */
  readonly namespace?: string;
  /** The Gateway previews attach to, when previews are HTTPRoutes. */
  readonly gateway?: GatewayParent;
  readonly rewrite?: Rewrite;
  /**
   * The rest of what the gate knows about the environment (preview hosts, workload account, quota,
   * reserved names), from the manifests as rewritten: the hosts depend on the routes they hold.
   */
  readonly context?: (manifests: Record<string, unknown>[]) => PolicyContext;
  readonly dryRun?: DryRun;
}

export interface Checked {
  /** The manifests as every gate saw them: what is applied, if diagnostics is empty. */
  readonly manifests: Record<string, unknown>[];
  readonly diagnostics: Diagnostic[];
  /** manifestsDigest(manifests) when every gate passed. */
  readonly checkedSha256?: string;
}

/** The hash stored with the accepted attempt and compared again before anything is applied. */
export function manifestsDigest(manifests: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(manifests)).digest('hex');
}

export async function timed<T>(
  gate: Gate,
  gates: GateRecord[],
  work: () => Promise<T> | T,
  ok: (t: T) => boolean,
): Promise<T> {
  const started = performance.now();
  const result = await work();
  gates.push({ gate, ok: ok(result), ms: Math.round(performance.now() - started) });
  return result;
}

/** Rewrites, policy, dry-run: stops at the first gate with findings. */
export async function runChecks(
  checks: PlanChecks,
  output: Record<string, unknown>[],
  gates: GateRecord[] = [],
): Promise<Checked> {
  let manifests = output;
  if (checks.rewrite) {
    const rewritten = await timed(
      'preview',
      gates,
      () => checks.rewrite!(manifests),
      (r) => r.diagnostics.length === 0,
    );
    if (rewritten.diagnostics.length) return { manifests, diagnostics: rewritten.diagnostics };
    manifests = rewritten.manifests;
  }
  const checked = await timed(
    'policy',
    gates,
    () =>
      evaluatePolicy(manifests, checks.policy, {
        ...checks.context?.(manifests),
        namespace: checks.namespace,
        gateway: checks.gateway,
      }),
    (r) => r.violations.length === 0,
  );
  const violations = checked.violations.map((v): Diagnostic => ({
    gate: 'policy',
    code: v.code,
    message: v.message,
    object: v.object,
    field: v.field,
    fix: v.fix,
  }));
  if (violations.length) return { manifests, diagnostics: violations };
  manifests = checked.manifests;
  // An empty plan gives the API server nothing to check.
  if (checks.dryRun && manifests.length) {
    const refused = await timed(
      'dry-run',
      gates,
      () => checks.dryRun!(manifests),
      (d) => d.length === 0,
    );
    if (refused.length) return { manifests, diagnostics: refused };
  }
  return { manifests, diagnostics: [], checkedSha256: manifestsDigest(manifests) };
}
