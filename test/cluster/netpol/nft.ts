/**
 * Writes the enforcer's table with nft inside the node's network namespace. The script adds the
 * table, deletes it and adds it anew in one nft transaction, so the kernel swaps the old rules for
 * the new ones at once: no packet ever meets a half-written table or none at all.
 */
import { spawn } from 'node:child_process';
import { NetpolError } from './errors.js';

export interface NftTarget {
  netns: string;
  table: string;
  /** The command up to nft's own arguments; tests replace it. */
  command?: readonly string[];
}

export async function replaceTable(ruleset: string, target: NftTarget): Promise<void> {
  const command = target.command ?? ['ip', 'netns', 'exec', target.netns, 'nft'];
  const script = `table inet ${target.table}\ndelete table inet ${target.table}\n${ruleset}`;
  const { code, stderr } = await run([...command, '-f', '-'], script);
  if (code === 0) return;
  if (stderr.includes('Cannot open network namespace')) {
    throw new NetpolError(
      'VIBE_NETPOL_NETNS_MISSING',
      `network namespace ${target.netns} does not exist (${stderr.trim()}); start the node with make cluster-up.`,
    );
  }
  if (stderr.includes('exec of "nft" failed')) {
    throw new NetpolError(
      'VIBE_NETPOL_TOOL_MISSING',
      'nft is not installed; install nftables (make cluster-deps).',
    );
  }
  throw new NetpolError(
    'VIBE_NETPOL_NFT_REFUSED',
    `nft refused the table ${target.table} in network namespace ${target.netns} (exit ${code}): ` +
      `${stderr.trim().split('\n').slice(0, 6).join(' | ')}; the enforcer logs the table it tried beside this error.`,
  );
}

/** Whether the table is in the namespace: false as well when the namespace itself is gone. */
export async function tableExists(target: NftTarget): Promise<boolean> {
  const command = target.command ?? ['ip', 'netns', 'exec', target.netns, 'nft'];
  const { code } = await run([...command, 'list', 'table', 'inet', target.table], '');
  return code === 0;
}

function run(argv: readonly string[], input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    const child = spawn(file!, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new NetpolError(
              'VIBE_NETPOL_TOOL_MISSING',
              `${file} is not installed; install iproute2 and nftables (make cluster-deps).`,
            )
          : err,
      ),
    );
    // nft may exit before reading everything; the exit status says what went wrong.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => resolve({ code, stderr: Buffer.concat(stderr).toString('utf8') }));
    child.stdin.end(input);
  });
}
