/**
 * Type-checks a script against the SDK's generated `.d.ts` with the TypeScript compiler, in memory:
 * the script is a module that may import only `@vibe/sdk`, with strict checks on.
 *
 * The compiler is loaded on the first check, not at start-up: it is ~80 MiB of the process's memory,
 * and an operator whose planner writes no scripts (built-in, no-op, a planner module) never needs it.
 */
import { dirname } from 'node:path';
import type ts from 'typescript';
import { sdkDeclarations } from '../../../sandbox-runtime/sdk/typings.js';
import type { Diagnostic } from './diagnostics.js';

const SCRIPT = '/script.ts';
const SDK = '/vibe-sdk.d.ts';
/** The TypeScript lib a script is checked against (the operator image carries it and what it references). */
export const TYPECHECK_LIB = 'lib.es2022.d.ts';
type TypeScript = typeof ts;

function compilerOptions(ts: TypeScript): ts.CompilerOptions {
  return {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: [TYPECHECK_LIB],
    types: [],
    skipLibCheck: true,
    noUnusedLocals: false,
  };
}

let compiler: Promise<TypeScript> | undefined;
let sdkText: string | undefined;
let libFiles: Map<string, ts.SourceFile> | undefined;

function loadCompiler(): Promise<TypeScript> {
  compiler ??= import('typescript').then((m) => m.default);
  return compiler;
}

/** Lib files parsed once per process: parsing them is most of a check's cost. */
function cachedLib(ts: TypeScript, fileName: string): ts.SourceFile | undefined {
  libFiles ??= new Map();
  const hit = libFiles.get(fileName);
  if (hit) return hit;
  const text = ts.sys.readFile(fileName);
  if (text === undefined) return undefined;
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022);
  libFiles.set(fileName, file);
  return file;
}

export async function typecheck(source: string): Promise<Diagnostic[]> {
  const ts = await loadCompiler();
  const OPTIONS = compilerOptions(ts);
  sdkText ??= sdkDeclarations();
  const files = new Map<string, string>([
    [SCRIPT, source],
    [SDK, sdkText],
  ]);
  const libDir = dirname(ts.getDefaultLibFilePath(OPTIONS));
  const host: ts.CompilerHost = {
    getSourceFile: (name, target) => {
      const text = files.get(name);
      if (text !== undefined) return ts.createSourceFile(name, text, target);
      return name.startsWith(libDir) ? cachedLib(ts, name) : undefined;
    },
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getDirectories: () => [],
    fileExists: (name) => files.has(name) || (name.startsWith(libDir) && ts.sys.fileExists(name)),
    readFile: (name) => files.get(name) ?? (name.startsWith(libDir) ? ts.sys.readFile(name) : undefined),
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
  };
  const program = ts.createProgram([SCRIPT, SDK], OPTIONS, host);
  const script = program.getSourceFile(SCRIPT)!;
  const found = [...program.getSyntacticDiagnostics(script), ...program.getSemanticDiagnostics(script)];
  return found.map((d) => {
    const line =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined;
    return {
      gate: 'typecheck' as const,
      code: `TS${d.code}`,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
      ...(line !== undefined ? { line } : {}),
    };
  });
}

/**
 * Loads the compiler, parses the lib files and the SDK's declarations and checks one small script,
 * so the first plan after start-up does not pay for what every later one finds cached (a cold check
 * costs ten times a warm one). The result is of no interest.
 */
export async function warmTypecheck(): Promise<void> {
  await typecheck(
    "import { webService } from '@vibe/sdk';\nwebService('warm-up', { image: 'busybox', port: 80 });\n",
  );
}
