/**
 * No folder of operator/src holds more than MAX_SOURCES_PER_FOLDER source files directly: past that a
 * newcomer stops seeing the steps in the names, and the folder wants rooms (docs/architecture.md).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCE_ROOT = 'operator/src';
const MAX_SOURCES_PER_FOLDER = 20;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every folder under `dir` (itself included) with the count of non-test .ts files directly in it. */
function sourceCounts(dir: string): { folder: string; sources: number }[] {
  const entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  const sources = entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'));
  const below = entries.filter((e) => e.isDirectory()).flatMap((e) => sourceCounts(`${dir}/${e.name}`));
  return [{ folder: dir, sources: sources.length }, ...below];
}

describe('folder size', () => {
  it('counts the folders of operator/src', () => {
    const counts = sourceCounts(SOURCE_ROOT);
    expect(counts.find((c) => c.folder === `${SOURCE_ROOT}/environment`)?.sources).toBeGreaterThan(0);
    expect(counts.length).toBeGreaterThan(10);
  });

  it(`keeps every folder of operator/src at ${MAX_SOURCES_PER_FOLDER} source files or fewer`, () => {
    const crowded = sourceCounts(SOURCE_ROOT).filter((c) => c.sources > MAX_SOURCES_PER_FOLDER);
    expect(crowded).toEqual([]);
  });
});
