/**
 * Containers and bundles in the shared runsc state root whose process is gone. A process killed with
 * SIGKILL cannot delete its pool's runners: they read end-of-file on stdin, exit, and stay behind as
 * stopped containers with their bundle directories. Several processes share the one root (the
 * operator, a CLI plan, test suites), so only what a dead process owned is collected: each container
 * id, and each bundle's name, carries its owner's pid.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { RunscContext } from './runsc-container.js';

const OWNED_ID = /^vibe-(\d+)-[0-9a-f]{12}$/;
/** Ids from before the owner was part of them; such a container is left over once it has stopped. */
const UNOWNED_ID = /^vibe-[0-9a-f]{12}$/;
const BUNDLE_PREFIX = 'bundle-';
/** Bundles from before they were named after their container (mkdtemp's six characters). */
const UNOWNED_BUNDLE = /^bundle-[A-Za-z0-9]{6}$/;

/** A fresh container id owned by this process. */
export const newContainerId = (owner: number = process.pid): string =>
  `vibe-${owner}-${randomBytes(6).toString('hex')}`;

export const bundleName = (id: string): string => `${BUNDLE_PREFIX}${id}`;

/** The pid that owns a container id; undefined for ids this module did not make. */
export function ownerOf(id: string): number | undefined {
  const match = OWNED_ID.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ListedContainer {
  readonly id: string;
  readonly status: string;
  readonly bundle?: string;
}

export function isLeftover(container: ListedContainer, alive: (pid: number) => boolean): boolean {
  const owner = ownerOf(container.id);
  if (owner !== undefined) return !alive(owner);
  return UNOWNED_ID.test(container.id) && container.status === 'stopped';
}

/** A bundle directory name of a dead owner, or an old-style one no container refers to any more. */
export function isLeftoverBundle(
  name: string,
  referenced: ReadonlySet<string>,
  alive: (pid: number) => boolean,
): boolean {
  if (!name.startsWith(BUNDLE_PREFIX) || referenced.has(name)) return false;
  const owner = ownerOf(name.slice(BUNDLE_PREFIX.length));
  if (owner !== undefined) return !alive(owner);
  return UNOWNED_BUNDLE.test(name);
}

/** Parses `runsc list --format=json`, which prints `null` for an empty root. */
export function parseContainerList(json: string): ListedContainer[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { id, status, bundle } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || typeof status !== 'string') return [];
    return [{ id, status, ...(typeof bundle === 'string' ? { bundle } : {}) }];
  });
}

/**
 * Deletes the left-over containers and bundle directories; resolves to the container ids removed.
 * Best effort: a container that cannot be deleted now is tried again by the next process to start.
 */
export async function collectLeftovers(
  ctx: Pick<RunscContext, 'runsc' | 'global' | 'bundleParent'>,
  alive: (pid: number) => boolean = processAlive,
): Promise<string[]> {
  const run = promisify(execFile);
  let listed: ListedContainer[];
  try {
    const { stdout } = await run(ctx.runsc, [...ctx.global, 'list', '--format=json'], { env: {} });
    listed = parseContainerList(stdout);
  } catch {
    return [];
  }
  const leftovers = listed.filter((c) => isLeftover(c, alive));
  const removed: string[] = [];
  for (const container of leftovers) {
    try {
      await run(ctx.runsc, [...ctx.global, 'delete', '--force', container.id], { env: {} });
      removed.push(container.id);
    } catch {
      continue;
    }
  }
  const gone = new Set(removed);
  const referenced = new Set(
    listed
      .filter((c) => !gone.has(c.id) && c.bundle && dirname(c.bundle) === ctx.bundleParent)
      .map((c) => basename(c.bundle!)),
  );
  const names = await readdir(ctx.bundleParent).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => isLeftoverBundle(name, referenced, alive))
      .map((name) => rm(join(ctx.bundleParent, name), { recursive: true, force: true })),
  );
  return removed;
}
