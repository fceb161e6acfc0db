/**
 * The codes the source actually uses: every `VIBE_*` word inside a string or template literal of
 * the operator's and the sandbox runtime's sources (tests and this catalogue aside) and every
 * `CODE.VIBE_*` taken from the catalogue, and every
 * constant that gives a code a name of its own outside the catalogue.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Where codes are raised. */
export const SOURCE_DIRS = ['operator/src', 'sandbox-runtime'];
const CATALOGUE_DIR = 'operator/src/errors';

/** Environment variables the operator and its commands read: `VIBE_*` words that are not error codes. */
export const ENVIRONMENT_VARIABLES: ReadonlySet<string> = new Set([
  'VIBE_CACHE',
  'VIBE_RUNSC',
  'VIBE_ANTHROPIC_MODEL',
  'VIBE_OPENAI_MODEL',
]);

const CODE_WORD = /\bVIBE_[A-Z0-9_]*[A-Z0-9]\b/g;

export interface SourceCodes {
  /** code -> the files (repository-relative) whose literals name it. */
  used: Map<string, string[]>;
  /** `file: NAME = 'VIBE_...'`, constants that define a code a second time. */
  namedOutside: string[];
}

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && rel !== CATALOGUE_DIR) out.push(...sourceFiles(root, rel));
    } else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

/** The `VIBE_*` words in the string and template literals of `text`, and the constants naming one. */
export function codesInText(text: string, file = 'source.ts'): { words: string[]; named: string[] } {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const words: string[] = [];
  const named: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      words.push(...(node.text.match(CODE_WORD) ?? []));
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'CODE'
    ) {
      words.push(node.name.text);
    }
    if (
      ts.isVariableDeclaration(node) &&
      node.initializer &&
      ts.isStringLiteral(node.initializer) &&
      /^VIBE_[A-Z0-9_]+$/.test(node.initializer.text) &&
      !ENVIRONMENT_VARIABLES.has(node.initializer.text)
    ) {
      named.push(`${node.name.getText(sf)} = '${node.initializer.text}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { words, named };
}

export function codesInSource(root: string): SourceCodes {
  const used = new Map<string, string[]>();
  const namedOutside: string[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(root, dir)) {
      const { words, named } = codesInText(readFileSync(path.join(root, file), 'utf8'), file);
      for (const word of new Set(words)) {
        if (ENVIRONMENT_VARIABLES.has(word)) continue;
        used.set(word, [...(used.get(word) ?? []), file]);
      }
      namedOutside.push(...named.map((n) => `${file}: ${n}`));
    }
  }
  return { used, namedOutside };
}
