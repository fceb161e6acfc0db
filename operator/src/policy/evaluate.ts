/**
 * The policy gate: a total, pure function from manifests, a policy document and what is known
 * about the environment to violations, plus the manifests as they would be applied (namespace
 * set, safe defaults filled in). Inputs are never modified, and no input makes it throw or hang.
 */
import { checkObject, KNOWN_KINDS } from './allow/kinds.js';
import { isObj, type Checker, type Code, type Obj } from './allow/rules.js';
import { gateInput, type GateInput, type PolicyContext } from './context.js';
import { fillDefaults } from './defaults.js';
import type { PolicyDocument } from './document.js';
import { inspect } from './inspect.js';
import type { Violation } from './violation.js';

export type { PolicyContext } from './context.js';

export interface PolicyResult {
  readonly violations: Violation[];
  readonly manifests: Obj[];
  /** Fields the gate filled in, so the audit record shows what was not in the script's output. */
  readonly defaulted: string[];
}

/** How many values (of every object together) the gate reads before it refuses the plan as too large. */
const MAX_VALUES = 500_000;

/** Objects Kubernetes keeps in every namespace; a plan applied over one would fight its controller. */
const CLUSTER_OBJECTS: ReadonlySet<string> = new Set(['ConfigMap/kube-root-ca.crt']);

/** Operator-owned NetworkPolicies are all named vibe-*; a plan's policy of such a name would shadow one. */
const OPERATOR_POLICY_PREFIX = 'vibe-';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A data property's value, without running accessors (the input is not trusted to be plain yet). */
function own(value: unknown, key: string): unknown {
  if (!isObj(value)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(value, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

function identify(object: unknown, index: number): string {
  if (!isObj(object)) return `#${index}`;
  const kind = str(own(object, 'kind'))?.slice(0, 63) ?? 'object';
  const name = str(own(own(object, 'metadata'), 'name'))?.slice(0, 253) ?? `#${index}`;
  return `${kind}/${name}`;
}

export function evaluatePolicy(
  input: readonly unknown[],
  policy: PolicyDocument,
  context: PolicyContext = {},
): PolicyResult {
  try {
    return evaluate(input, gateInput(policy, context));
  } catch (error) {
    // Every rule is written not to throw; this is the last wall should one still do so.
    return {
      violations: [
        {
          code: 'VIBE_POLICY_UNREADABLE',
          object: 'environment',
          field: 'manifests',
          message: `the gate could not read the manifests (${error instanceof Error ? error.name : 'error'}).`,
          fix: 'emit plain Kubernetes objects as JSON.',
        },
      ],
      manifests: [],
      defaulted: [],
    };
  }
}

function evaluate(input: readonly unknown[], gate: GateInput): PolicyResult {
  const { policy } = gate;
  const violations: Violation[] = [];
  const defaulted: string[] = [];
  const manifests: Obj[] = [];
  const environment = (code: Code, message: string, fix: string) =>
    violations.push({ code, object: 'environment', field: 'manifests', message, fix });

  if (!Array.isArray(input)) {
    environment('VIBE_POLICY_NOT_AN_OBJECT', 'the manifests are not a list.', 'emit a list of objects.');
    return { violations, manifests, defaulted };
  }
  if (input.length > policy.maxObjects) {
    environment(
      'VIBE_POLICY_TOO_MANY_OBJECTS',
      `the environment has ${input.length} objects; at most ${policy.maxObjects} are allowed.`,
      'declare fewer objects.',
    );
  }
  const budget = { nodes: MAX_VALUES };
  const readable: boolean[] = input.map((raw, index) => {
    const problem = inspect(raw, budget);
    if (problem) violations.push({ ...problem, object: identify(raw, index) });
    return !problem;
  });
  if (readable.includes(false)) return { violations, manifests, defaulted };

  const bytes = Buffer.byteLength(JSON.stringify(input));
  if (bytes > policy.maxTotalBytes) {
    environment(
      'VIBE_POLICY_TOO_LARGE',
      `the manifests take ${bytes} bytes; at most ${policy.maxTotalBytes} are allowed.`,
      'move large content out of ConfigMaps and Secrets.',
    );
  }

  const objects: ObjectChecks = {
    gate,
    allowed: new Set(policy.allowedKinds),
    declared: new Set(input.map((raw, index) => identify(raw, index))),
    seen: new Set<string>(),
    violations,
    defaulted,
  };
  input.forEach((raw, index) => {
    if (!readable[index]) return;
    const object = evaluateObject(raw, index, objects);
    if (object) manifests.push(object);
  });
  return { violations, manifests, defaulted };
}

/** What the gate knows while it reads the objects one by one, and where it writes what it finds. */
interface ObjectChecks {
  readonly gate: GateInput;
  /** apiVersion/kind pairs the policy allows. */
  readonly allowed: ReadonlySet<string>;
  /** Every object of the plan as kind/name, for references between them. */
  readonly declared: ReadonlySet<string>;
  /** apiVersion/kind + kind/name of the objects read so far, for duplicates. */
  readonly seen: Set<string>;
  readonly violations: Violation[];
  readonly defaulted: string[];
}

/**
 * One object through the gate: its kind allowed and known, its name free and unique, its namespace
 * the environment's, defaults filled in, then the kind's own allow-list. Returns the object as it
 * would be applied, or undefined when it is not an object or its kind is refused.
 */
function evaluateObject(raw: unknown, index: number, o: ObjectChecks): Obj | undefined {
  const { gate } = o;
  const { policy } = gate;
  if (!isObj(raw)) {
    o.violations.push({
      code: 'VIBE_POLICY_NOT_AN_OBJECT',
      object: `#${index}`,
      field: '',
      message: 'is not a Kubernetes object.',
      fix: 'emit only objects with apiVersion, kind and metadata.',
    });
    return undefined;
  }
  const object = structuredClone(raw);
  const id = identify(object, index);
  const c: Checker = {
    input: gate,
    declared: o.declared,
    report: (code, field, message, fix) => o.violations.push({ code, object: id, field, message, fix }),
  };
  const typeKey = `${String(str(object.apiVersion))}/${String(str(object.kind))}`;
  if (!o.allowed.has(typeKey)) {
    c.report(
      'VIBE_POLICY_KIND_NOT_ALLOWED',
      'kind',
      `${typeKey} is not allowed in an environment.`,
      `use only ${policy.allowedKinds.join(', ')}.`,
    );
    return undefined;
  }
  if (!KNOWN_KINDS.includes(typeKey)) {
    c.report(
      'VIBE_POLICY_KIND_UNKNOWN',
      'kind',
      `the policy allows ${typeKey}, but the gate has no field allow-list for it.`,
      `use one of ${KNOWN_KINDS.join(', ')}.`,
    );
    return undefined;
  }
  if (object.metadata === undefined) object.metadata = {};
  const metadata = isObj(object.metadata) ? object.metadata : undefined;
  const name = metadata ? str(metadata.name) : undefined;
  if (metadata && name === undefined)
    c.report('VIBE_POLICY_NAME', 'metadata.name', 'has no valid name.', 'give it a lowercase DNS name.');
  if (o.seen.has(typeKey + id))
    c.report(
      'VIBE_POLICY_DUPLICATE',
      'metadata.name',
      'is declared twice.',
      'give each object a unique name.',
    );
  o.seen.add(typeKey + id);
  const kind = str(object.kind)!;
  if (
    name !== undefined &&
    (gate.reservedObjects.has(`${kind}/${name}`) ||
      CLUSTER_OBJECTS.has(`${kind}/${name}`) ||
      (kind === 'NetworkPolicy' && name.startsWith(OPERATOR_POLICY_PREFIX)))
  ) {
    c.report(
      'VIBE_POLICY_RESERVED_OBJECT',
      'metadata.name',
      `${kind}/${name} is a name the operator keeps for its own objects in every environment.`,
      `give the object another name${kind === 'NetworkPolicy' ? ` (not starting with ${OPERATOR_POLICY_PREFIX})` : ''}.`,
    );
  }
  if (metadata && metadata.namespace !== undefined && metadata.namespace !== gate.namespace) {
    c.report(
      'VIBE_POLICY_NAMESPACE',
      'metadata.namespace',
      `targets namespace "${String(metadata.namespace)}", outside the environment.`,
      'remove metadata.namespace; every object goes into the environment namespace.',
    );
  }
  if (metadata && gate.namespace) metadata.namespace = gate.namespace;
  fillDefaults(object, kind, policy, (field) => o.defaulted.push(`${id} ${field}`));
  checkObject(typeKey, object, c);
  return object;
}
