import { createHash } from 'node:crypto';

/** Links an environment's namespace back to its VibeEnvironment: the name and the namespace it lives in. */
export const LABEL_ENVIRONMENT = 'vibe.dev/environment';
export const LABEL_ENVIRONMENT_NAMESPACE = 'vibe.dev/environment-namespace';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A label value for any string: itself when it is one, otherwise cut with a hash suffix so
 * two long names still get different values. Object names may be 253 characters; label values 63.
 */
export function labelValue(text: string): string {
  if (text.length <= 63 && LABEL_VALUE.test(text)) return text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  const head = text
    .slice(0, 54)
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return head ? `${head}-${hash}` : hash;
}
