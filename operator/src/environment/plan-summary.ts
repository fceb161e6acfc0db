import { PLAN_LIST_LIMITS, type VibeEnvironmentStatus } from '../api/vibe-environment.js';
import type { Manifest } from './planner.js';

interface PodSpecLike {
  containers?: Array<{ image?: string; imagePullPolicy?: string }>;
  initContainers?: Array<{ image?: string; imagePullPolicy?: string }>;
}

/** The pod specs inside a workload manifest (Deployment, StatefulSet, Job, CronJob, Pod, ...). */
export function podSpecsOf(manifest: Manifest): PodSpecLike[] {
  const spec = manifest.spec as
    | (PodSpecLike & {
        template?: { spec?: PodSpecLike };
        jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } };
      })
    | undefined;
  if (!spec) return [];
  if (manifest.kind === 'Pod') return [spec];
  const found = [spec.template?.spec, spec.jobTemplate?.spec?.template?.spec];
  return found.filter((s): s is PodSpecLike => s !== undefined);
}

/** What a reviewer reads before approving: how many objects, of which kinds, running which images. */
export function summarizePlan(manifests: Manifest[]): { objects: number; kinds: string[]; images: string[] } {
  const kinds = new Set<string>();
  const images = new Set<string>();
  for (const m of manifests) {
    kinds.add(m.kind);
    for (const pod of podSpecsOf(m)) {
      for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
        if (c.image) images.add(c.image);
      }
    }
  }
  return { objects: manifests.length, kinds: [...kinds].sort(), images: [...images].sort() };
}

export type PlanStatus = NonNullable<VibeEnvironmentStatus['plan']>;

/** The plan summary as status.plan holds it: lists capped, with a count of what the caps left out. */
export function planStatus(hash: string, manifests: Manifest[]): PlanStatus {
  const summary = summarizePlan(manifests);
  const kinds = capped(summary.kinds, PLAN_LIST_LIMITS.kinds, PLAN_LIST_LIMITS.kindLength);
  const images = capped(summary.images, PLAN_LIST_LIMITS.images, PLAN_LIST_LIMITS.imageLength);
  return {
    hash,
    objects: summary.objects,
    kinds: kinds.listed,
    images: images.listed,
    ...(kinds.omitted > 0 ? { kindsOmitted: kinds.omitted } : {}),
    ...(images.omitted > 0 ? { imagesOmitted: images.omitted } : {}),
  };
}

/** An entry too long for the schema is left out rather than cut, as a cut image name would mislead. */
function capped(
  values: string[],
  maxItems: number,
  maxLength: number,
): { listed: string[]; omitted: number } {
  const listed = values.filter((v) => v.length <= maxLength).slice(0, maxItems);
  return { listed, omitted: values.length - listed.length };
}

/**
 * Images under a node-local prefix (e.g. `localhost/`, imported into the
 * node's containerd with no registry behind them) cannot be pulled, so they
 * are started only from what the node already has.
 */
export function preferNodeImages(manifests: Manifest[], prefixes: readonly string[]): Manifest[] {
  if (prefixes.length === 0) return manifests;
  return manifests.map((m) => {
    const copy = structuredClone(m);
    for (const pod of podSpecsOf(copy)) {
      for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
        if (c.image && prefixes.some((p) => c.image!.startsWith(p))) c.imagePullPolicy = 'IfNotPresent';
      }
    }
    return copy;
  });
}

export interface ImageMirror {
  from: string;
  to: string;
}

/**
 * Points image references at a mirror by prefix (e.g. `docker.io/library/` ->
 * `localhost/vibe/`), for clusters that reach no public registry. The first
 * matching mirror wins; other images are left as planned.
 */
export function mirrorImages(manifests: Manifest[], mirrors: readonly ImageMirror[]): Manifest[] {
  if (mirrors.length === 0) return manifests;
  return manifests.map((m) => {
    const copy = structuredClone(m);
    for (const pod of podSpecsOf(copy)) {
      for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
        const mirror = c.image ? mirrors.find((x) => c.image!.startsWith(x.from)) : undefined;
        if (mirror) c.image = `${mirror.to}${c.image!.slice(mirror.from.length)}`;
      }
    }
    return copy;
  });
}
