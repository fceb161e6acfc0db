/**
 * The one environment a script builds. Blocks register into it; the runner synthesizes it once the
 * script's top level has run. One sandbox run builds one environment, so it is module state.
 */
import { createHash } from 'node:crypto';
import { App, Chart } from 'cdk8s';
import type { z } from 'zod';
import { SdkError } from './errors.js';
import { Name, type Ref } from './schemas.js';

export interface ClusterFacts {
  /** Host suffix for public services: `<name>.<previewDomain>`. Without it the Ingress matches any host. */
  readonly previewDomain?: string;
  readonly ingressClass?: string;
  /** Seeds the generated credentials so a script synthesizes the same manifests every run. */
  readonly seed?: string;
}

/** A backing service's connection settings, handed to workloads through a Secret. */
export interface Connection extends Ref {
  readonly secretName: string;
}

export class Environment {
  readonly app = new App();
  readonly chart: Chart;
  private readonly refs = new Map<string, Ref>();
  private readonly connections = new Map<string, Connection>();

  constructor(readonly facts: ClusterFacts) {
    this.chart = new Chart(this.app, 'env', { disableResourceNameHashes: true });
  }

  /** Reserves a name, so two blocks can never overwrite each other's objects. */
  claim(block: string, name: unknown): string {
    const parsed = Name.safeParse(name);
    if (!parsed.success) {
      throw new SdkError(
        'VIBE_SDK_INVALID_NAME',
        `${block}(${JSON.stringify(name)}): the name must be a lowercase DNS label of at most 40 characters ` +
          '(a-z, 0-9 and "-", starting with a letter).',
      );
    }
    if (this.refs.has(parsed.data)) {
      throw new SdkError(
        'VIBE_SDK_DUPLICATE_NAME',
        `${block}("${parsed.data}"): the name "${parsed.data}" is already used by another block; pick a different name.`,
      );
    }
    return parsed.data;
  }

  register(ref: Ref, connection?: Connection): Ref {
    this.refs.set(ref.name, ref);
    if (connection) this.connections.set(ref.name, connection);
    return Object.freeze({ ...ref });
  }

  /** Resolves a `uses` entry to a backing service declared earlier in the script. */
  connection(block: string, used: string | { name: string }): Connection {
    const name = typeof used === 'string' ? used : used.name;
    const found = this.connections.get(name);
    if (found) return found;
    const known = [...this.connections.keys()];
    throw new SdkError(
      'VIBE_SDK_UNKNOWN_DEPENDENCY',
      `${block}: uses "${name}", but no backing service of that name was declared before it` +
        (known.length ? ` (declared: ${known.join(', ')}).` : '. Declare the database or cache first.'),
    );
  }

  /** A stable password per environment seed and service, so re-synthesizing changes nothing. */
  password(service: string): string {
    return createHash('sha256')
      .update(`${this.facts.seed ?? 'vibe'}/${service}`)
      .digest('base64url')
      .slice(0, 24);
  }

  synth(): unknown[] {
    return this.chart.toJson();
  }
}

let current: Environment | undefined;

export function beginEnvironment(facts: ClusterFacts = {}): Environment {
  current = new Environment(facts);
  return current;
}

export function currentEnvironment(): Environment {
  current ??= new Environment({});
  return current;
}

/** Validates a block's spec and turns zod's issues into one sentence naming the block and the fields. */
export function parseSpec<T extends z.ZodType>(
  block: string,
  name: string,
  schema: T,
  spec: unknown,
): z.output<T> {
  const parsed = schema.safeParse(spec ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : 'spec';
    return `${path}: ${issue.message}`;
  });
  throw new SdkError('VIBE_SDK_INVALID_SPEC', `${block}("${name}"): ${problems.join('; ')}.`);
}
