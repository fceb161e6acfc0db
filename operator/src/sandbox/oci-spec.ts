/**
 * The OCI runtime spec for one sandbox run: read-only rootfs holding only node and the runner, a
 * small tmpfs at /tmp, no network, no capabilities, an unprivileged user, no environment from the
 * operator, and memory, CPU and pid limits. The runner boots and waits for its one request on stdin.
 */
import { IN_SANDBOX, SANDBOX_UID } from './rootfs.js';
import { RUNNER_NODE_FLAGS } from './runner-bundle.js';
import type { SandboxLimits } from './types.js';

export interface SpecInputs {
  readonly rootfs: string;
  readonly limits: SandboxLimits;
  /** The runner warms the SDK up before it waits: worth it only for a runner that waits in a pool. */
  readonly warmUp?: boolean;
}

/**
 * A backstop behind the executor's wall-clock timer, which starts when the script is handed over: the
 * runner's boot and warm-up (before that, in a pooled container) get their own allowance on top.
 */
const BOOT_CPU_SECONDS = 10;
const cpuSeconds = (limits: SandboxLimits) => Math.ceil(limits.wallMs / 1000) + BOOT_CPU_SECONDS;

const NO_CAPABILITIES = { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] };

export function ociSpec({ rootfs, limits, warmUp = false }: SpecInputs): object {
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: SANDBOX_UID, gid: SANDBOX_UID },
      args: [
        IN_SANDBOX.node,
        ...RUNNER_NODE_FLAGS,
        '--snapshot-blob',
        IN_SANDBOX.snapshot,
        '-',
        ...(warmUp ? ['--warm-up'] : []),
      ],
      env: ['PATH=/bin', 'HOME=/tmp'],
      cwd: IN_SANDBOX.scratch,
      capabilities: NO_CAPABILITIES,
      noNewPrivileges: true,
      rlimits: [
        { type: 'RLIMIT_NOFILE', hard: 256, soft: 256 },
        { type: 'RLIMIT_CPU', hard: cpuSeconds(limits), soft: cpuSeconds(limits) },
      ],
    },
    root: { path: rootfs, readonly: true },
    hostname: 'sandbox',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      {
        destination: IN_SANDBOX.scratch,
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'nodev', 'noexec', 'size=16m'],
      },
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'network' }],
      resources: {
        memory: { limit: limits.memoryMiB * 1024 * 1024 },
        // One CPU at most, so a busy script cannot starve the operator on a small node.
        cpu: { quota: 100_000, period: 100_000 },
        pids: { limit: 64 },
      },
    },
  };
}
