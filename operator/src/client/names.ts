import { randomBytes } from 'node:crypto';

/** A readable name for an environment from its intent: its first words and a random suffix, e.g. `nginx-public-k3x9`. */
export function nameFromIntent(intent: string, random: () => string = randomSuffix): string {
  const words = intent
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w && !STOP_WORDS.has(w))
    .slice(0, 3);
  const head = words.join('-').slice(0, 40).replace(/-+$/, '');
  const stem = /^[a-z]/.test(head) ? head : `env${head ? `-${head}` : ''}`;
  return `${stem}-${random()}`;
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'with', 'and', 'on', 'of', 'for', 'to', 'in', 'port']);

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz23456789';
  return [...randomBytes(4)].map((b) => alphabet[b % alphabet.length]).join('');
}
