/**
 * TypeScript to CommonJS on the operator's side, before the sandbox: esbuild only parses and prints,
 * it never executes the script, and the sandbox then needs no compiler inside it.
 */
import { transform } from 'esbuild';

export type TranspileResult = { ok: true; code: string } | { ok: false; message: string };

export async function transpile(source: string): Promise<TranspileResult> {
  try {
    const out = await transform(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: 'script.ts',
      logLevel: 'silent',
    });
    return { ok: true, code: out.code };
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { line: number; column: number } }[] })
      .errors;
    if (!errors?.length) return { ok: false, message: String(error) };
    const message = errors
      .map((e) => (e.location ? `script.ts:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text))
      .join('; ');
    return { ok: false, message };
  }
}

/**
 * Starts esbuild's service (a child process) with one small transform, so the first plan after
 * start-up does not wait for it: a first transform takes ~0.1 s, a later one under 10 ms.
 */
export async function warmTranspile(): Promise<void> {
  await transpile('export const warm: number = 1;\n');
}
