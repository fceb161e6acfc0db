/**
 * Everything the operator changes in a script's output, in one function that runs before the
 * policy gate and the dry-run (checks.ts): the preview exposure (Ingress hosts and class, or
 * HTTPRoutes attached to the preview Gateway), image mirrors and node-local images. Output the
 * rewrites cannot read (a malformed object) is passed through untouched for the policy gate to
 * refuse, so hostile input yields diagnostics, never an exception.
 */
import type { Rewrite } from '../../agent/checks.js';
import type { Diagnostic } from '../../agent/diagnostics.js';
import type { VibeEnvironment } from '../../api/vibe-environment.js';
import { PreviewRouteError, exposePreview } from '../preview/index.js';
import { mirrorImages, preferNodeImages } from './plan-summary.js';
import type { Manifest } from '../objects.js';
import type { PlanSettings } from './plan-settings.js';

type RewriteSettings = Pick<PlanSettings, 'preview' | 'imageMirrors' | 'nodeImagePrefixes'>;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown) => v === undefined || (Array.isArray(v) && v.every(isObj));

const optional = (v: unknown, test: (v: unknown) => boolean) => v === undefined || test(v);

/** An Ingress backend the translation can read: a Service named by a string, its port an object. */
const backend = (b: unknown) =>
  isObj(b) &&
  optional(
    b.service,
    (s) => isObj(s) && optional(s.name, (n) => typeof n === 'string') && optional(s.port, isObj),
  );

const ingressPath = (p: Record<string, unknown>) =>
  optional(p.path, (v) => typeof v === 'string') && optional(p.backend, backend);

const ingressRule = (rule: Record<string, unknown>) =>
  optional(
    rule.http,
    (http) =>
      isObj(http) &&
      objects(http.paths) &&
      ((http.paths ?? []) as Record<string, unknown>[]).every(ingressPath),
  );

/**
 * An object the rewrites can read: a named manifest; an Ingress whose rules, paths and backends
 * are objects of the right shape; a Service whose ports are objects (named ports are resolved
 * against them).
 */
function readable(m: Record<string, unknown>): m is Manifest {
  if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') return false;
  if (!isObj(m.metadata) || typeof m.metadata.name !== 'string') return false;
  if (m.spec === undefined) return true;
  if (m.kind === 'Service') return isObj(m.spec) && objects(m.spec.ports);
  if (m.kind !== 'Ingress') return true;
  if (!isObj(m.spec) || !objects(m.spec.rules) || !optional(m.spec.defaultBackend, backend)) return false;
  return ((m.spec.rules ?? []) as Record<string, unknown>[]).every(ingressRule);
}

export function planRewrite(env: VibeEnvironment, settings: RewriteSettings): Rewrite {
  return (output) => {
    const manifests = output.filter((m): m is Manifest => isObj(m) && readable(m));
    const unreadable = output.filter((m) => !(isObj(m) && readable(m)));
    let exposed: Manifest[];
    try {
      exposed = exposePreview(manifests, env, settings.preview).manifests;
    } catch (err) {
      if (!(err instanceof PreviewRouteError)) throw err;
      const diagnostic: Diagnostic = {
        gate: 'preview',
        code: err.code,
        object: err.object,
        field: err.field,
        message: err.message,
      };
      return { manifests: output, diagnostics: [diagnostic] };
    }
    const mirrored = mirrorImages(exposed, settings.imageMirrors);
    return {
      manifests: [...preferNodeImages(mirrored, settings.nodeImagePrefixes), ...unreadable],
      diagnostics: [],
    };
  };
}
