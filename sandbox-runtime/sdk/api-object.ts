/** The escape hatch: any namespaced object written out in full, still subject to the policy gate. */
import { ApiObject } from 'cdk8s';
import type { z } from 'zod';
import { currentEnvironment, parseSpec } from './environment.js';
import { ApiObjectSpec, type Ref } from './schemas.js';

export function apiObject(object: z.input<typeof ApiObjectSpec>): Ref {
  const env = currentEnvironment();
  const name = env.claim(
    'apiObject',
    (object as { metadata?: { name?: unknown } } | undefined)?.metadata?.name,
  );
  const spec = parseSpec('apiObject', name, ApiObjectSpec, object);
  new ApiObject(env.chart, `${name}-${spec.kind.toLowerCase()}`, spec);
  return env.register({ name, host: name, port: 0 });
}
