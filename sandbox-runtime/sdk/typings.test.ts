import { describe, expect, it } from 'vitest';
import { blocks } from './schemas.js';
import { sdkDeclarations, toolDefinitions } from './typings.js';

describe('generated SDK views', () => {
  it('declares every block as a function of the @vibe/sdk module with documented spec fields', () => {
    const dts = sdkDeclarations();
    expect(dts.startsWith("declare module '@vibe/sdk' {")).toBe(true);
    for (const name of Object.keys(blocks))
      expect(dts).toMatch(new RegExp(`export function ${name}\\(name: string, spec\\??: \\w+\\): Ref;`));
    expect(dts).toContain('export function apiObject(object: ApiObjectSpec): Ref;');
    expect(dts).toMatch(
      /\/\*\*\n\s+\* Port the container listens on[^*]*\n\s+\* @default 8080\n\s+\*\/\n\s+port\?: number;/,
    );
    expect(dts).toContain('image: string;');
  });

  it('offers one JSON-schema tool per block plus apiObject', () => {
    const tools = toolDefinitions();
    expect(tools.map((t) => t.name)).toEqual([...Object.keys(blocks), 'apiObject']);
    const web = tools.find((t) => t.name === 'webService')!;
    expect(web.inputSchema.required).toEqual(['name', 'spec']);
    const spec = web.inputSchema.properties!.spec!;
    expect(spec.required).toEqual(['image']);
    expect(spec.properties!.port).toMatchObject({ type: 'integer', default: 8080 });
    expect(JSON.stringify(tools)).not.toContain('$schema');
  });
});
