/**
 * Everything the operator changes in a script's output, in one function that runs before the
 * policy gate and the dry-run (checks.ts): the preview exposure (Ingress hosts and class, or
 * HTTPRoutes attached to the preview Gateway), image mirrors and node-local images. Output the
 * rewrites cannot read (a malformed object) is passed through untouched for the policy gate to
 * refuse, so hostile input yields diagnostics, never an exception.
 */
import type { Rewrite } from '../agent/checks.js';
import type { Diagnostic } from '../agent/diagnostics.js';
import type { VibeEnvironment } from '../api/vibe-environment.js';
import { PreviewRouteError } from './ingress-route.js';
import { mirrorImages, preferNodeImages } from './plan-summary.js';
import type { Manifest } from './planner.js';
import { exposePreview } from './preview.js';
import type { EnvironmentSettings } from './settings.js';

type RewriteSettings = Pick<EnvironmentSettings, 'preview' | 'imageMirrors' | 'nodeImagePrefixes'>;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown) => v === undefined || (Array.isArray(v) && v.every(isObj));

/** An object the rewrites can read: a named manifest, and an Ingress whose rules are objects. */
function readable(m: Record<string, unknown>): m is Manifest {
  if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') return false;
  if (!isObj(m.metadata) || typeof m.metadata.name !== 'string') return false;
  if (m.kind !== 'Ingress') return true;
  if (m.spec === undefined) return true;
  if (!isObj(m.spec) || !objects(m.spec.rules)) return false;
  return (m.spec.rules as Record<string, unknown>[]).every(
    (rule) =>
      rule.http === undefined ||
      (isObj(rule.http) &&
        objects(rule.http.paths) &&
        ((rule.http.paths ?? []) as Record<string, unknown>[]).every(
          (p) => p.backend === undefined || isObj(p.backend),
        )),
  );
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
