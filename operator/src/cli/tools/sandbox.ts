/** `vibe sandbox run FILE.ts`: runs one script in an executor and prints its manifests. */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { resolve } from 'node:path';
import { cacheDir } from '../../sandbox/cache-dir.js';
import { writeOciImage } from '../../sandbox/oci-image.js';
import { ensureRootfs } from '../../sandbox/rootfs.js';
import type { Command } from '../main.js';
import { EXIT, openExecutor } from './pipeline-options.js';
import { parseCommand } from '../parse-command.js';

const USAGE =
  'Usage: vibe sandbox run [--executor runsc|pod|process] [--kubeconfig FILE] [-o yaml|json] FILE.ts\n' +
  '       vibe sandbox image [--out FILE.tar]   (the sandbox image as an OCI archive, for ctr images import)\n';

async function writeImage(out: string): Promise<number> {
  const rootfs = await ensureRootfs(cacheDir());
  const { reference } = writeOciImage(rootfs, resolve(out));
  process.stdout.write(`${reference} written to ${out}\n`);
  return EXIT.ok;
}

export const command: Command = {
  summary: 'Run one environment script in the sandbox, or write the sandbox image',
  async run(argv) {
    const parsed = parseCommand('sandbox', USAGE, argv, {
      executor: { type: 'string', default: 'runsc' },
      kubeconfig: { type: 'string' },
      out: { type: 'string', default: 'vibe-sandbox-runtime.oci.tar' },
      output: { type: 'string', short: 'o', default: 'yaml' },
    });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const [verb, file, ...extra] = positionals;
    if (verb === 'image' && !file) return writeImage(values.out);
    if (verb !== 'run' || !file || extra.length) {
      process.stderr.write(USAGE);
      return EXIT.usage;
    }
    if (!['yaml', 'json'].includes(values.output)) {
      process.stderr.write(`vibe sandbox: -o must be yaml or json, not "${values.output}".\n`);
      return EXIT.usage;
    }
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(`vibe sandbox: cannot read ${file}: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    const executor = await openExecutor(values.executor, values.kubeconfig);
    if (typeof executor === 'number') return executor;
    const result = await executor.run({ source });
    for (const line of result.logs) process.stderr.write(`script: ${line}\n`);
    if (!result.ok) {
      if (values.output === 'json') process.stdout.write(`${JSON.stringify(result)}\n`);
      process.stderr.write(`vibe sandbox: ${result.kind} error ${result.code}: ${result.message}\n`);
      return EXIT.script;
    }
    process.stdout.write(
      values.output === 'json'
        ? `${JSON.stringify({ manifests: result.manifests, durationMs: Math.round(result.durationMs) })}\n`
        : result.manifests.map((m) => `---\n${stringify(m)}`).join(''),
    );
    return EXIT.ok;
  },
};
