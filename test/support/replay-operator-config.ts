import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

/**
 * Writes an operator config file into dir for the Anthropic planner against a replay server, and
 * returns its path. No retries and no response cache: the replay server's request log then counts
 * every model call the operator made.
 */
export function replayOperatorConfig(dir: string, replayUrl: string): string {
  const file = path.join(dir, 'operator.yaml');
  writeFileSync(
    file,
    stringify({
      planner: 'anthropic',
      executor: 'runsc',
      models: {
        providers: [{ kind: 'anthropic', apiKey: 'replay-key-not-secret', baseURL: replayUrl }],
        retry: { maxRetries: 0 },
        cache: { maxEntries: 0 },
      },
    }),
  );
  return file;
}
