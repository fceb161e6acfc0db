import { randomBytes } from 'node:crypto';

/**
 * A unique sibling path to build into before an atomic rename: builders racing in other processes or
 * worker threads of one process never write the same file.
 */
export function tempSibling(path: string): string {
  return `${path}.${randomBytes(6).toString('hex')}.tmp`;
}
