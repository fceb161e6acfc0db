/**
 * Manifests from a file the way kubectl reads them, or a refusal naming why they cannot be read
 * unambiguously. kubectl converts YAML with a YAML 1.1 reader (sigs.k8s.io/yaml over go-yaml v2:
 * yes/on are booleans, 0755 is octal), most other tools with YAML 1.2. Each document is read both
 * ways and refused where the two disagree, so the gate never checks a value other than the one
 * kubectl would send. Duplicate keys, alias bombs, cycles and oversized input are refused too.
 */
import { parseAllDocuments, type Document, type Tags } from 'yaml';
import { inspect } from '../../policy/index.js';

export type ManifestReadCode =
  | 'VIBE_MANIFEST_TOO_LARGE'
  | 'VIBE_MANIFEST_TOO_DEEP'
  | 'VIBE_MANIFEST_SYNTAX'
  | 'VIBE_MANIFEST_DUPLICATE_KEY'
  | 'VIBE_MANIFEST_ALIASES'
  | 'VIBE_MANIFEST_AMBIGUOUS'
  | 'VIBE_MANIFEST_CYCLIC'
  | 'VIBE_MANIFEST_NOT_JSON'
  | 'VIBE_MANIFEST_UNREADABLE';

export type ManifestRead =
  | { readonly ok: true; readonly manifests: unknown[] }
  | { readonly ok: false; readonly code: ManifestReadCode; readonly message: string };

/** Far above any plan the gate accepts (1 MiB of JSON by default); bounds the parser's work. */
export const MAX_MANIFEST_TEXT = 8 * 1024 * 1024;
/** Enough for the anchors a hand-written manifest uses; an alias bomb needs many more. */
const MAX_ALIASES = 100;

/** Flow brackets or indentation this deep are far beyond any manifest; the parser itself is not safe with them. */
const MAX_NESTING = 256;

/**
 * An upper bound of the text's nesting, counted before parsing: open flow brackets (quotes are not
 * told apart, which only ever overcounts) and the deepest indentation.
 */
function nesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let indent = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && (ch === 32 || ch === 45)) {
      indent++;
      deepest = Math.max(deepest, indent / 2);
      continue;
    }
    lineStart = false;
    if (ch === 91 || ch === 123) deepest = Math.max(deepest, ++depth);
    else if ((ch === 93 || ch === 125) && depth > 0) depth--;
  }
  return deepest;
}

/** go-yaml v2 reads neither timestamps nor base-60 numbers into values of their own. */
const goYamlV2Tags = (tags: Tags): Tags =>
  tags.filter(
    (t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
  );

const refuse = (code: ManifestReadCode, message: string): ManifestRead => ({ ok: false, code, message });

/** The first path where two readings of a document differ. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Object.is(a, b) ? undefined : path || '(document)';
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  if (Array.isArray(a) !== Array.isArray(b)) return path || '(document)';
  for (const key of keys) {
    const at = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      at,
    );
    if (found) return found;
  }
  return undefined;
}

function documents(text: string, version: '1.1' | '1.2'): Document.Parsed[] {
  return parseAllDocuments(text, {
    version,
    merge: true,
    uniqueKeys: true,
    ...(version === '1.1' ? { customTags: goYamlV2Tags } : {}),
  }) as Document.Parsed[];
}

function flatten(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) {
    const holder = value as { manifests?: unknown; kind?: unknown; items?: unknown };
    if (Array.isArray(holder.manifests)) return holder.manifests;
    if (holder.kind === 'List' && Array.isArray(holder.items)) return holder.items;
  }
  return [value];
}

/** Manifests from JSON (a list, a `{manifests}` plan or one object) or multi-document YAML. */
export function readManifests(text: string): ManifestRead {
  if (text.length > MAX_MANIFEST_TEXT) {
    return refuse(
      'VIBE_MANIFEST_TOO_LARGE',
      `the file has ${text.length} characters; at most ${MAX_MANIFEST_TEXT} are read.`,
    );
  }
  if (nesting(text) > MAX_NESTING) {
    return refuse(
      'VIBE_MANIFEST_TOO_DEEP',
      `the YAML nests deeper than ${MAX_NESTING} levels; no manifest does.`,
    );
  }
  try {
    const modern = documents(text, '1.2');
    const kubectl = documents(text, '1.1');
    const manifests: unknown[] = [];
    for (const [i, doc] of modern.entries()) {
      const error = doc.errors[0] ?? kubectl[i]?.errors[0];
      if (error) {
        const duplicate = error.code === 'DUPLICATE_KEY';
        return refuse(
          duplicate ? 'VIBE_MANIFEST_DUPLICATE_KEY' : 'VIBE_MANIFEST_SYNTAX',
          `document ${i + 1}: ${error.message.split('\n')[0]}${duplicate ? ' Each key may appear once; kubectl and other tools keep different ones.' : ''}`,
        );
      }
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES });
      const problem = inspect(value, { nodes: MAX_MANIFEST_TEXT });
      if (problem) {
        const code =
          problem.code === 'VIBE_POLICY_CYCLIC'
            ? 'VIBE_MANIFEST_CYCLIC'
            : problem.code === 'VIBE_POLICY_TOO_DEEP'
              ? 'VIBE_MANIFEST_TOO_DEEP'
              : 'VIBE_MANIFEST_NOT_JSON';
        return refuse(
          code,
          `document ${i + 1}, ${problem.field || 'top level'}: ${problem.message} ${problem.fix}`,
        );
      }
      const asKubectl: unknown = kubectl[i]!.toJS({ maxAliasCount: MAX_ALIASES });
      const differs = firstDifference(value, asKubectl, '');
      if (differs) {
        return refuse(
          'VIBE_MANIFEST_AMBIGUOUS',
          `document ${i + 1}, ${differs}: YAML 1.1 (kubectl) and YAML 1.2 read this value differently ` +
            '(yes/no/on/off, 0755, 1_000 and the like). Quote it if it is a string, or write true, false or a plain decimal number.',
        );
      }
      if (value !== null && value !== undefined) manifests.push(...flatten(value));
    }
    return { ok: true, manifests };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      return refuse(
        'VIBE_MANIFEST_ALIASES',
        `the YAML expands too many aliases (${message}); write the objects out.`,
      );
    }
    return refuse('VIBE_MANIFEST_UNREADABLE', `the manifests cannot be read: ${message.split('\n')[0]}`);
  }
}
