import { PLAN_LIST_LIMITS, type VibeEnvironmentStatus } from '../../api/vibe-environment.js';
import type { Manifest } from '../objects.js';

interface ContainerLike {
  image?: string;
  imagePullPolicy?: string;
}

interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
}

/** The pod specs inside a workload manifest (Deployment, StatefulSet, Job, CronJob, Pod, ...). */
export function podSpecsOf(manifest: Manifest): PodSpecLike[] {
  const spec = manifest.spec as
    | (PodSpecLike & {
        template?: { spec?: PodSpecLike };
        jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } };
      })
    | undefined;
  if (typeof spec !== 'object' || spec === null) return [];
  if (manifest.kind === 'Pod') return [spec];
  const found: unknown[] = [spec.template?.spec, spec.jobTemplate?.spec?.template?.spec];
  return found.filter((s): s is PodSpecLike => typeof s === 'object' && s !== null);
}

/** Containers and init containers; entries that are not objects (hostile output) are left out. */
function containersOf(manifest: Manifest): ContainerLike[] {
  const listed = (v: unknown): ContainerLike[] =>
    Array.isArray(v) ? v.filter((c): c is ContainerLike => typeof c === 'object' && c !== null) : [];
  return podSpecsOf(manifest).flatMap((pod) => [...listed(pod.containers), ...listed(pod.initContainers)]);
}

/** Copies of the manifests with `change` applied to every container. */
function withContainers(manifests: Manifest[], change: (container: ContainerLike) => void): Manifest[] {
  return manifests.map((m) => {
    const copy = structuredClone(m);
    containersOf(copy).forEach(change);
    return copy;
  });
}

/** What a reviewer reads before approving: how many objects, of which kinds, running which images. */
export function summarizePlan(manifests: Manifest[]): { objects: number; kinds: string[]; images: string[] } {
  const kinds = new Set<string>();
  const images = new Set<string>();
  for (const m of manifests) {
    kinds.add(m.kind);
    for (const c of containersOf(m)) if (c.image) images.add(c.image);
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
  return withContainers(manifests, (c) => {
    if (typeof c.image === 'string' && prefixes.some((p) => c.image!.startsWith(p))) {
      c.imagePullPolicy = 'IfNotPresent';
    }
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
  return withContainers(manifests, (c) => {
    const mirror = typeof c.image === 'string' ? mirrors.find((x) => c.image!.startsWith(x.from)) : undefined;
    if (mirror) c.image = `${mirror.to}${c.image!.slice(mirror.from.length)}`;
  });
}
