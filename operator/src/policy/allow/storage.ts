/** Claims, ConfigMaps and Secrets: data of the environment's own, never a volume or a token of someone else's. */
import { parseQuantity } from '../quantity.js';
import { anyString, bool, fields, forbid, list, mapOf, oneOf, scalar, type Rule } from './rules.js';

const notElsewhere = (what: string) =>
  forbid(
    'VIBE_POLICY_PVC_SOURCE',
    `binds the claim to ${what}, which may hold another environment's data.`,
    'remove it; a claim gets a fresh volume from its storage class.',
  );

const storageRequest: Rule = (value, at, c) => {
  scalar(value, at, c);
  const bytes = parseQuantity(value);
  if (bytes === undefined) {
    return c.report(
      'VIBE_POLICY_RESOURCES',
      at,
      'is not a storage quantity.',
      'write a quantity such as "1Gi".',
    );
  }
  const limit = parseQuantity(c.input.quota.storage);
  if (limit !== undefined && bytes > limit) {
    c.report(
      'VIBE_POLICY_QUOTA',
      at,
      `asks for ${String(value)} of storage; the environment's quota is ${c.input.quota.storage}.`,
      `ask for at most ${c.input.quota.storage}.`,
    );
  }
};

const storageClassName: Rule = (value, at, c) => {
  const allowed = c.input.policy.workloads.storageClassNames;
  if (!allowed.includes(value as string)) {
    c.report(
      'VIBE_POLICY_STORAGE_CLASS',
      at,
      `asks for storage class "${String(value)}".`,
      allowed.length
        ? `use one of ${allowed.join(', ')} or leave it out.`
        : 'leave storageClassName out (the cluster default).',
    );
  }
};

export const persistentVolumeClaimSpec = fields({
  accessModes: list(oneOf(['ReadWriteOnce', 'ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteMany']), 4),
  resources: fields({
    requests: fields({ storage: storageRequest }),
    limits: fields({ storage: storageRequest }),
  }),
  storageClassName,
  volumeMode: oneOf(
    ['Filesystem'],
    'VIBE_POLICY_VOLUME_TYPE',
    'remove volumeMode; raw block volumes are not allowed.',
  ),
  volumeName: notElsewhere('an existing PersistentVolume'),
  dataSource: notElsewhere('a copy of another volume or snapshot'),
  dataSourceRef: notElsewhere('a copy of another volume or snapshot'),
  selector: notElsewhere('whichever existing PersistentVolume matches'),
  volumeAttributesClassName: forbid(
    'VIBE_POLICY_STORAGE_CLASS',
    'asks for a volume attributes class.',
    'remove it.',
  ),
});

const SECRET_TYPES = ['Opaque', 'kubernetes.io/tls', 'kubernetes.io/dockerconfigjson'];

/** Top-level fields beside apiVersion, kind and metadata. */
export const secretFields = {
  type: oneOf(
    SECRET_TYPES,
    'VIBE_POLICY_SECRET_TYPE',
    `use type ${SECRET_TYPES.join(', ')}; a service-account token or bootstrap token Secret hands out cluster credentials.`,
  ),
  data: mapOf(anyString),
  stringData: mapOf(anyString),
  immutable: bool,
};

export const configMapFields = { data: mapOf(anyString), binaryData: mapOf(anyString), immutable: bool };
