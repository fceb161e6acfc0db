/**
 * Generates, from the block schemas, the two views a model gets of the SDK: the `.d.ts` text a Code
 * Mode script is written and type-checked against, and JSON-schema tool definitions for tool calling.
 */
import { z } from 'zod';
import { ApiObjectSpec, blocks, refTypeText, type BlockDefinition } from './schemas.js';

export const SDK_MODULE = '@vibe/sdk';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
}

function docComment(text: string | undefined, indent: string, defaultValue?: unknown): string {
  const lines = [
    text,
    defaultValue === undefined ? undefined : `@default ${JSON.stringify(defaultValue)}`,
  ].filter((l): l is string => Boolean(l));
  if (!lines.length) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

function typeText(s: JsonSchema, indent: string): string {
  if (s.anyOf) return s.anyOf.map((x) => typeText(x, indent)).join(' | ');
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  switch (s.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${s.items ? typeText(s.items, indent) : 'unknown'}>`;
    case 'object': {
      if (!s.properties) {
        const value =
          typeof s.additionalProperties === 'object' ? typeText(s.additionalProperties, indent) : 'unknown';
        return `Record<string, ${value}>`;
      }
      return `{\n${members(s, `${indent}  `)}${indent}}`;
    }
    default:
      return 'unknown';
  }
}

function members(s: JsonSchema, indent: string): string {
  const required = new Set(s.required ?? []);
  const lines = Object.entries(s.properties ?? {}).map(([key, prop]) => {
    const optional = required.has(key) && prop.default === undefined ? '' : '?';
    return `${docComment(prop.description, indent, prop.default)}${indent}${key}${optional}: ${typeText(prop, indent)};\n`;
  });
  if (typeof s.additionalProperties === 'object' || s.additionalProperties === true) {
    lines.push(`${indent}[key: string]: unknown;\n`);
  }
  return lines.join('');
}

/**
 * A schema as an exported TypeScript interface, its descriptions as doc comments: what a program is
 * written against. `output` describes values a program receives (defaults filled in) rather than passes.
 */
export function interfaceText(name: string, schema: z.ZodType, io: 'input' | 'output' = 'input'): string {
  const s = jsonSchema(schema, io);
  return `${docComment(s.description, '  ')}  export interface ${name} {\n${members(s, '    ')}  }`;
}

function specTypes(): Map<string, z.ZodType> {
  const types = new Map<string, z.ZodType>();
  for (const block of Object.values(blocks) as BlockDefinition[]) types.set(block.specType, block.spec);
  types.set('ApiObjectSpec', ApiObjectSpec);
  return types;
}

/** The `@vibe/sdk` module declaration a script is type-checked against and the model reads. */
export function sdkDeclarations(): string {
  const parts = [...specTypes()].map(([name, schema]) => interfaceText(name, schema));
  parts.push(refTypeText.replace(/^/gm, '  ').replace('interface Ref', 'export interface Ref'));
  for (const [fn, block] of Object.entries(blocks) as [string, BlockDefinition][]) {
    const spec = `spec${block.specOptional ? '?' : ''}: ${block.specType}`;
    parts.push(`${docComment(block.summary, '  ')}  export function ${fn}(name: string, ${spec}): Ref;`);
  }
  parts.push(
    `${docComment(ApiObjectSpec.description, '  ')}  export function apiObject(object: ApiObjectSpec): Ref;`,
  );
  return `declare module '${SDK_MODULE}' {\n${parts.join('\n\n')}\n}\n`;
}

export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema & { type: 'object' };
}

/** One tool per block; a call `{name, spec}` means the same as the script statement `block(name, spec)`. */
export function toolDefinitions(): ToolDefinition[] {
  const tools: ToolDefinition[] = (Object.entries(blocks) as [string, BlockDefinition][]).map(
    ([fn, block]) => {
      const { $schema: _, ...spec } = jsonSchema(block.spec) as JsonSchema & { $schema?: string };
      return {
        name: fn,
        description: block.summary,
        inputSchema: {
          type: 'object' as const,
          properties: { name: { type: 'string', description: 'Object name, a lowercase DNS label.' }, spec },
          required: block.specOptional ? ['name'] : ['name', 'spec'],
          additionalProperties: false,
        },
      };
    },
  );
  const { $schema: _, ...object } = jsonSchema(ApiObjectSpec) as JsonSchema & { $schema?: string };
  tools.push({
    name: 'apiObject',
    description: ApiObjectSpec.description ?? '',
    inputSchema: {
      type: 'object',
      properties: { object },
      required: ['object'],
      additionalProperties: false,
    },
  });
  return tools;
}
