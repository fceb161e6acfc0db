/** The runsc executor's shared state root as the suites inspect it: which containers it holds now. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';
import { findRunsc } from '../../operator/src/sandbox/find-runsc.js';
import { parseContainerList, type ListedContainer } from '../../operator/src/sandbox/runsc-leftovers.js';

export const runscStateRoot = (): string => join(cacheDir(), 'runsc-state');

/** Every container in the state root, with its status; throws when runsc is not installed. */
export function runscContainers(): ListedContainer[] {
  const runsc = findRunsc();
  if (!runsc) throw new Error('runsc is not installed: run `make cluster-build` (or set VIBE_RUNSC).');
  return parseContainerList(
    execFileSync(runsc, ['--root', runscStateRoot(), 'list', '--format=json'], { encoding: 'utf8' }),
  );
}

export const runscContainerIds = (): string[] => runscContainers().map((c) => c.id);
