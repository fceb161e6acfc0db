import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$VIBE_CACHE`, or the per-user cache directory the Makefile also defaults to. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIBE_CACHE || join(homedir(), '.cache', 'vibe-operator');
}
