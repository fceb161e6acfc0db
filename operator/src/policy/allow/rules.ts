/**
 * The vocabulary the allow-list is written in: a rule looks at one value and reports what is
 * wrong with it. `fields` refuses every key it was not told about, so anything the gate does not
 * know is refused by construction. Rules never throw and never modify what they look at.
 */
import type { GateInput } from '../context.js';
import type { Violation } from '../violation.js';

export type Obj = Record<string, unknown>;
export type Code = Violation['code'];

export const MAX_INT32 = 2 ** 31 - 1;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a rule reports to, and what it may know about the environment and the whole plan. */
export interface Checker {
  readonly input: GateInput;
  /** The plan's objects by `Kind/name`, for references between them. */
  readonly declared: ReadonlySet<string>;
  report(code: Code, field: string, message: string, fix: string): void;
}

export type Rule = (value: unknown, at: string, c: Checker) => void;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `at.key`, or `at["key"]` when the key is not a plain identifier (label keys, ports...). */
export function child(at: string, key: string): string {
  if (IDENTIFIER.test(key)) return at ? `${at}.${key}` : key;
  return `${at}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}

export function wrongType(c: Checker, at: string, wanted: string, value: unknown): void {
  c.report(
    'VIBE_POLICY_FIELD_TYPE',
    at,
    `must be ${wanted}, not ${describe(value)}.`,
    value === null
      ? 'leave the field out instead of writing null.'
      : `write ${wanted} (quote nothing that is not a string; YAML's yes/on/0755 are not booleans or numbers here).`,
  );
}

/** An object whose keys are exactly those given; anything else is refused as unknown. */
export function fields(spec: Readonly<Record<string, Rule>>): Rule {
  return (value, at, c) => {
    if (!isObj(value)) return wrongType(c, at, 'an object', value);
    for (const key of Object.keys(value)) {
      const rule = Object.hasOwn(spec, key) ? spec[key] : undefined;
      const here = child(at, key);
      if (!rule) {
        c.report(
          'VIBE_POLICY_UNKNOWN_FIELD',
          here,
          'is not a field the policy gate allows here.',
          `remove ${key}; the gate refuses every field it does not know (see docs/policy.md).`,
        );
      } else if (value[key] !== undefined) {
        rule(value[key], here, c);
      }
    }
  };
}

/** Several rules on the same value, in order. */
export const all =
  (...rules: Rule[]): Rule =>
  (value, at, c) => {
    for (const rule of rules) rule(value, at, c);
  };

function tooMany(c: Checker, at: string, count: number, max: number): void {
  c.report(
    'VIBE_POLICY_FIELD_VALUE',
    at,
    `has ${count} entries; at most ${max} are allowed.`,
    'declare fewer.',
  );
}

export function list(item: Rule, max = 1000): Rule {
  return (value, at, c) => {
    if (!Array.isArray(value)) return wrongType(c, at, 'a list', value);
    if (value.length > max) return tooMany(c, at, value.length, max);
    value.forEach((entry, i) => item(entry, `${at}[${i}]`, c));
  };
}

export function str(pattern?: RegExp, what = 'a plain name'): Rule {
  return (value, at, c) => {
    if (typeof value !== 'string') return wrongType(c, at, 'a string', value);
    if (pattern && !pattern.test(value)) {
      c.report('VIBE_POLICY_FIELD_VALUE', at, `"${value.slice(0, 80)}" is not ${what}.`, `use ${what}.`);
    }
  };
}

export const anyString = str();

export function int(min: number, max: number): Rule {
  return (value, at, c) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType(c, at, 'an integer', value);
    if (value < min || value > max) {
      c.report(
        'VIBE_POLICY_FIELD_VALUE',
        at,
        `is ${value}; it must be between ${min} and ${max}.`,
        `use a value from ${min} to ${max}.`,
      );
    }
  };
}

export const bool: Rule = (value, at, c) => {
  if (typeof value !== 'boolean') wrongType(c, at, 'true or false', value);
};

/** One of a few values; anything else is reported with the given code and fix. */
export function oneOf(
  values: readonly unknown[],
  code: Code = 'VIBE_POLICY_FIELD_VALUE',
  fix?: string,
): Rule {
  return (value, at, c) => {
    if (values.includes(value)) return;
    if (!values.some((v) => typeof v === typeof value) || value === null) {
      const wanted = [
        ...new Set(values.map((v) => (typeof v === 'boolean' ? 'true or false' : `a ${typeof v}`))),
      ];
      return wrongType(c, at, wanted.join(' or '), value);
    }
    c.report(
      code,
      at,
      `is ${describe(value)}; allowed: ${values.map((v) => JSON.stringify(v)).join(', ')}.`,
      fix ?? `use one of ${values.map((v) => JSON.stringify(v)).join(', ')}.`,
    );
  };
}

/** A field that is known and never allowed. */
export const forbid =
  (code: Code, message: string, fix: string): Rule =>
  (_value, at, c) =>
    c.report(code, at, message, fix);

/** A map of string keys to values of one rule (labels, data, selectors). */
export function mapOf(valueRule: Rule, max = 1000): Rule {
  return (value, at, c) => {
    if (!isObj(value)) return wrongType(c, at, 'a map', value);
    const keys = Object.keys(value);
    if (keys.length > max) return tooMany(c, at, keys.length, max);
    for (const key of keys) valueRule(value[key], child(at, key), c);
  };
}

export const intOrString: Rule = (value, at, c) => {
  if (typeof value === 'string') return;
  if (typeof value !== 'number' || !Number.isInteger(value))
    wrongType(c, at, 'an integer or a string', value);
};

/** A port: a number from 1 to 65535 or a port name. */
export const port: Rule = (value, at, c) =>
  typeof value === 'string'
    ? str(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a port name')(value, at, c)
    : int(1, 65535)(value, at, c);

/** Any value without further structure (a quantity's number, a free-form string) that must be scalar. */
export const scalar: Rule = (value, at, c) => {
  if (typeof value !== 'string' && typeof value !== 'number') wrongType(c, at, 'a string or a number', value);
};
