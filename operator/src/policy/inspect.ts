/**
 * The gate is total: before any rule looks at an object, this walk makes sure it is plain JSON
 * data of a bounded size and depth, without cycles, accessors or values JSON cannot hold. It
 * walks with its own stack, so no input can exhaust the call stack, and stops at the first problem.
 */
import type { Code } from './allow/rules.js';

/** Deeper than any Kubernetes object the gate allows (a CronJob's node affinity is about 15 levels). */
export const MAX_DEPTH = 64;

export interface Unreadable {
  readonly code: Code;
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

const unreadable = (code: Code, field: string, message: string, fix: string): Unreadable => ({
  code,
  field,
  message,
  fix,
});

function plainPrototype(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || proto === Array.prototype;
}

/** Why `root` cannot be checked, or undefined when it is plain JSON data. `budget.nodes` is shared across calls. */
export function inspect(root: unknown, budget: { nodes: number }): Unreadable | undefined {
  const stack: { value: unknown; path: string; depth: number; ancestors: readonly object[] }[] = [
    { value: root, path: '', depth: 0, ancestors: [] },
  ];
  while (stack.length) {
    const { value, path, depth, ancestors } = stack.pop()!;
    if (--budget.nodes < 0) {
      return unreadable(
        'VIBE_POLICY_TOO_LARGE',
        path,
        'holds more values than the gate reads in one plan.',
        'declare fewer or smaller objects.',
      );
    }
    // An own property holding undefined is absent, as JSON.stringify has it.
    if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean')
      continue;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) continue;
      return unreadable(
        'VIBE_POLICY_NOT_JSON',
        path,
        `is ${value}, which JSON cannot hold.`,
        'write a finite number.',
      );
    }
    if (typeof value !== 'object') {
      return unreadable(
        'VIBE_POLICY_NOT_JSON',
        path,
        `is a ${typeof value}, which JSON cannot hold.`,
        'emit only strings, numbers, booleans, lists and objects.',
      );
    }
    if (!plainPrototype(value)) {
      return unreadable('VIBE_POLICY_NOT_JSON', path, 'is not a plain object.', 'emit plain JSON data.');
    }
    if (ancestors.includes(value)) {
      return unreadable(
        'VIBE_POLICY_CYCLIC',
        path,
        'contains itself (a cyclic reference or YAML alias).',
        'write the object out without referring back to itself.',
      );
    }
    if (depth >= MAX_DEPTH) {
      return unreadable(
        'VIBE_POLICY_TOO_DEEP',
        path,
        `nests deeper than ${MAX_DEPTH} levels.`,
        'no Kubernetes object of an allowed kind nests this deep; flatten it.',
      );
    }
    const inner = [...ancestors, value];
    const entries = Array.isArray(value) ? [...value.keys()].map(String) : Reflect.ownKeys(value);
    for (const key of entries) {
      if (typeof key === 'symbol') {
        return unreadable('VIBE_POLICY_NOT_JSON', path, 'has a symbol key.', 'emit plain JSON data.');
      }
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor || !('value' in descriptor)) {
        return unreadable(
          'VIBE_POLICY_NOT_JSON',
          path,
          `has a computed property "${key}".`,
          'emit plain JSON data.',
        );
      }
      const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      stack.push({ value: descriptor.value, path: at, depth: depth + 1, ancestors: inner });
    }
  }
  return undefined;
}
