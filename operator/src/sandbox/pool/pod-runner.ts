/**
 * A gVisor pod booted ahead of its run for the pod executor's warm pool: created with its deny-all
 * NetworkPolicy, its runner started and waiting for one request on stdin (`stdin`, `stdinOnce`). The
 * run attaches, writes the request, reads the result from the attached stdout and deletes the pod.
 * Nothing reaches the pod but that one line: no ConfigMap, no token, no network (docs/adr/0092).
 */
import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import type { Attach, CoreV1Api, NetworkingV1Api, V1Pod } from '@kubernetes/client-node';
import { delay } from './delay.js';
import { SandboxSetupError } from '../errors.js';
import { RUNNER_READY_LINE } from '../runner-input.js';
import type { BoundedRun } from '../spawn-bounded.js';
import type { SandboxLimits } from '../types.js';
import type { PooledRunner } from './warm-pool.js';

export interface PodRunnerContext {
  readonly core: CoreV1Api;
  readonly networking: NetworkingV1Api;
  readonly attach: Attach;
  readonly namespace: string;
  readonly image: string;
  readonly runtimeClassName: string;
  /** The pod spec of a sandbox pod; the runner's arguments and stdin are set here. */
  readonly podFor: (name: string, labels: Record<string, string>, limits: SandboxLimits) => V1Pod;
  readonly pollMs: number;
}

export interface PodRunner extends PooledRunner {
  readonly name: string;
  readonly limits: SandboxLimits;
  /** Hands the runner its one request (a line of JSON) and resolves when the pod's runner has exited. */
  run(request: string): Promise<BoundedRun>;
}

/** How long a pod may take to get its runner running (scheduling, image, sandbox boot). */
const BOOT_DEADLINE_MS = 120_000;
/** How often a waiting pod is checked; one that stopped running is dropped from the pool. */
const LIVENESS_MS = 2_000;
/**
 * A waiting pod's own deadline: longer than any wait in a busy pool, short enough that a pod an
 * operator lost track of (it crashed) does not wait forever.
 */
export const POOLED_POD_DEADLINE_S = 3_600;
const MAX_STDERR = 64 * 1024;

/** True when the text holds a whole line that is a JSON object: the runner's result, after which it only exits. */
function hasResultLine(text: string): boolean {
  return text
    .split('\n')
    .slice(0, -1)
    .some((line) => {
      if (!line.startsWith('{')) return false;
      try {
        JSON.parse(line);
        return true;
      } catch {
        return false;
      }
    });
}

function boundedSink(
  max: number,
  onOverflow: () => void,
  onResult: () => void = () => undefined,
): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  const text = () => Buffer.concat(chunks).toString('utf8');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!overflowed) {
        size += chunk.length;
        if (size > max) {
          overflowed = true;
          onOverflow();
        } else {
          chunks.push(chunk);
          if (chunk.includes(0x0a) && hasResultLine(text())) onResult();
        }
      }
      done();
    },
  });
  return { sink, text };
}

const isNotFound = (err: unknown) => (err as { code?: unknown } | null)?.code === 404;

/** Creates the pod and waits until its runner runs; throws SandboxSetupError when it cannot. */
export async function bootPodRunner(
  ctx: PodRunnerContext,
  limits: SandboxLimits,
  signal?: AbortSignal,
): Promise<PodRunner> {
  const { core, networking, namespace } = ctx;
  const name = `vibe-sandbox-${randomBytes(5).toString('hex')}`;
  const labels = { 'app.kubernetes.io/managed-by': 'vibe', 'vibe.dev/sandbox-run': name };
  let removal: Promise<void> | undefined;
  let ended = false;
  let used = false;
  let signalEnded: () => void = () => undefined;
  const whenEnded = new Promise<void>((resolve) => (signalEnded = resolve));
  const end = () => {
    ended = true;
    signalEnded();
  };
  /** Stops the liveness checks at once when the pod is used or removed. */
  const watching = new AbortController();
  const destroy = () => {
    watching.abort();
    removal ??= Promise.allSettled([
      core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }),
      networking.deleteNamespacedNetworkPolicy({ name, namespace }),
    ]).then(end);
    return removal;
  };

  // The deny-all NetworkPolicy first, so the pod never exists without it.
  await networking.createNamespacedNetworkPolicy({
    namespace,
    body: {
      metadata: { name, labels },
      spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'] },
    },
  });
  try {
    await core.createNamespacedPod({ namespace, body: ctx.podFor(name, labels, limits) });
    await runnerRunning(ctx, name, signal);
  } catch (err) {
    await destroy();
    throw err;
  }

  // A waiting pod is checked now and then: one that stopped (evicted, deadline, node gone) ends.
  void (async () => {
    while (!used && removal === undefined) {
      await delay(LIVENESS_MS, watching.signal);
      if (used || removal !== undefined) return;
      const pod = await core.readNamespacedPod({ name, namespace }).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        return 'unknown' as const;
      });
      if (pod === 'unknown') continue;
      if (!pod?.status?.containerStatuses?.[0]?.state?.running || pod.metadata?.deletionTimestamp)
        return end();
    }
  })();

  return {
    name,
    limits,
    ended: whenEnded,
    alive: () => !ended && !used && removal === undefined,
    async run(request) {
      if (used) throw new Error(`sandbox pod ${name} was already used; a runner runs one script only`);
      used = true;
      watching.abort();
      let stopped: 'timeout' | 'output' | undefined;
      const stop = (why: 'timeout' | 'output') => {
        stopped ??= why;
        void core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
      };
      const stdout = boundedSink(limits.maxOutputBytes, () => stop('output'));
      const stderr = boundedSink(MAX_STDERR, () => undefined);
      const stdin = new PassThrough();
      const socket = await ctx.attach.attach(
        namespace,
        name,
        'runner',
        stdout.sink,
        stderr.sink,
        stdin,
        false,
      );
      const closed = new Promise<void>((resolve) => {
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
      const timer = setTimeout(() => stop('timeout'), limits.wallMs);
      try {
        // Not ended: ending stdin closes the attach socket on older protocols, and the runner needs only the line.
        stdin.write(`${request}\n`);
        await closed;
      } finally {
        clearTimeout(timer);
        socket.close();
      }
      const out = stdout.text();
      return {
        stdout: out,
        stderr: stderr.text(),
        exitCode: stopped ? null : await exitCode(ctx, name, out),
        signal: stopped ? 'SIGKILL' : null,
        timedOut: stopped === 'timeout',
        outputExceeded: stopped === 'output',
      };
    },
    destroy,
  };
}

async function runnerRunning(ctx: PodRunnerContext, name: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + BOOT_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (signal?.aborted)
      throw new Error(`the boot of sandbox pod ${name} was given up: the pool is draining`);
    const pod = await ctx.core.readNamespacedPod({ name, namespace: ctx.namespace });
    const state = pod.status?.containerStatuses?.[0]?.state;
    // Running is not enough: booted means node has loaded the runner and waits on stdin.
    if (state?.running) {
      const log = await ctx.core
        .readNamespacedPodLog({ name, namespace: ctx.namespace, container: 'runner', limitBytes: 256 })
        .catch(() => '');
      if (log.startsWith(`${RUNNER_READY_LINE}\n`)) return;
    }
    if (state?.terminated || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
      throw new SandboxSetupError(
        'VIBE_SANDBOX_POD_ENDED_WAITING',
        `sandbox pod ${name} ended before it was used (${state?.terminated?.reason ?? pod.status?.phase}): ` +
          `check that the image ${ctx.image} holds a runner that reads its request from stdin.`,
      );
    }
    const waiting = state?.waiting?.reason;
    if (waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff' || waiting === 'InvalidImageName') {
      throw new SandboxSetupError(
        'VIBE_SANDBOX_POD_IMAGE',
        `sandbox pod ${name} cannot get its image ${ctx.image} (${waiting}): set --sandbox-image to an image the nodes can pull.`,
      );
    }
    await delay(ctx.pollMs, signal);
  }
  throw new SandboxSetupError(
    'VIBE_SANDBOX_POD_BOOT_TIMEOUT',
    `sandbox pod ${name} did not start within ${BOOT_DEADLINE_MS / 1000} s: check the gvisor RuntimeClass and the node's capacity.`,
  );
}

/**
 * With a result line the runner finished by itself; without one the container's terminated state
 * says why (the kubelet reports it within a second or two).
 */
async function exitCode(ctx: PodRunnerContext, name: string, stdout: string): Promise<number | null> {
  if (hasResultLine(stdout)) return 0;
  for (let i = 0; i < 20; i++) {
    const pod = await ctx.core.readNamespacedPod({ name, namespace: ctx.namespace }).catch(() => undefined);
    const terminated = pod?.status?.containerStatuses?.[0]?.state?.terminated;
    if (terminated) return terminated.reason === 'OOMKilled' ? 137 : terminated.exitCode;
    if (!pod) return null;
    await delay(ctx.pollMs);
  }
  return null;
}
