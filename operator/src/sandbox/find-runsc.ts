/** Finds runsc: `$VIBE_RUNSC`, then `PATH`, then `$VIBE_CACHE/bin/runsc` (where `make cluster-build` puts it). */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheDir } from './cache-dir.js';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findRunsc(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.VIBE_RUNSC) return executable(env.VIBE_RUNSC) ? env.VIBE_RUNSC : undefined;
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'runsc'))
    .find(executable);
  if (onPath) return onPath;
  const cached = join(cacheDir(env), 'bin', 'runsc');
  return executable(cached) ? cached : undefined;
}
