/**
 * The images of the local cluster's node, as its containerd holds them: a test tags one under a name
 * of its own and removes that name, as an operator of a real node would, to make an image vanish
 * without touching what other suites use.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';

function ctr(args: string[]): void {
  // The paths test/cluster/lib/common.sh gives the node's containerd and its ctr.
  const socket = join(process.env.VIBE_RUN_DIR || '/run/vibe-operator', 'containerd', 'containerd.sock');
  execFileSync(join(cacheDir(process.env), 'bin', 'ctr'), ['--address', socket, '-n', 'k8s.io', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Gives the node's image `source` a second name, `target` (replacing an earlier one). */
export function tagNodeImage(source: string, target: string): void {
  ctr(['images', 'tag', '--force', source, target]);
}

/** Removes the name `ref` from the node's images; the content stays while another name holds it. */
export function removeNodeImage(ref: string): void {
  ctr(['images', 'rm', ref]);
}
