import { describe, expect, it } from 'vitest';
import { apiDeclarations } from './api-typescript.js';
import { allowed } from './mode.js';

const open = { readOnly: false, noDestructive: false };

describe('MCP modes', () => {
  it('refuses writes in read-only mode, deletes in non-destructive mode, and unknown names always', () => {
    expect(allowed('create', open)).toBeUndefined();
    expect(allowed('create', { ...open, readOnly: true })?.code).toBe('VIBE_MCP_READ_ONLY');
    expect(allowed('get', { readOnly: true, noDestructive: true })).toBeUndefined();
    expect(allowed('delete', { ...open, noDestructive: true })?.code).toBe('VIBE_MCP_NOT_DESTRUCTIVE');
    expect(allowed('extend', { ...open, noDestructive: true })).toBeUndefined();
    expect(allowed('__proto__', open)?.code).toBe('VIBE_MCP_UNKNOWN_OPERATION');
    expect(allowed('constructor', open)?.code).toBe('VIBE_MCP_UNKNOWN_OPERATION');
  });

  it('declares the API a program sees from the operation schemas, only what the mode allows', () => {
    const all = apiDeclarations(open);
    expect(all).toMatch(/export interface CreateInput \{[\s\S]*intent: string;/);
    expect(all).toMatch(/export interface ListOutput \{[\s\S]*items: Array</);
    expect(all).toContain('delete(input: Vibe.DeleteInput): Promise<Vibe.DeleteOutput>;');
    const readOnly = apiDeclarations({ readOnly: true, noDestructive: false });
    expect(readOnly).not.toContain('create(input');
    expect(readOnly).toContain('list(input: Vibe.ListInput)');
  });
});
