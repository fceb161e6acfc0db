/**
 * Runs the runner as a Pod under the cluster's gVisor RuntimeClass: no service-account token, non-root,
 * read-only root, all capabilities dropped, RuntimeDefault seccomp, a deny-all NetworkPolicy, CPU and
 * memory limits and activeDeadlineSeconds. The script arrives in a ConfigMap; the result is read from
 * the pod's log; everything is deleted afterwards. With a pool, pods are booted ahead with their runner
 * waiting on stdin, and each serves exactly one run (pod-runner.ts, docs/adr/0092).
 */
import { randomBytes } from 'node:crypto';
import {
  ApiException,
  Attach,
  CoreV1Api,
  NetworkingV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { SandboxSetupError } from './errors.js';
import { bootPodRunner, POOLED_POD_DEADLINE_S, type PodRunner } from './pool/pod-runner.js';
import { compileFailure, interpret } from './result.js';
import { runnerInput, runnerRequest } from './runner-input.js';
import type { BoundedRun } from './spawn-bounded.js';
import { transpile } from './transpile.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  type SandboxExecutor,
  type SandboxLimits,
  type SandboxRequest,
  type SandboxResult,
} from './types.js';
import { WarmPool, type PoolObserver } from './pool/warm-pool.js';

export interface PodExecutorOptions {
  readonly kubeConfig: KubeConfig;
  /** Where the sandbox pods run; not an environment's namespace. */
  readonly namespace: string;
  /** The sandbox-runtime image (sandbox-runtime/image/Dockerfile or `vibe sandbox image`). */
  readonly image: string;
  readonly runtimeClassName?: string;
  readonly pollMs?: number;
  /** Pods kept booted and waiting for a run with the default limits (default 0: a pod per run). */
  readonly poolSize?: number;
  readonly poolObserver?: Partial<PoolObserver>;
}

const SANDBOX_UID = 65534;

/** How the runner gets its script: from a ConfigMap at /in, or as one line on stdin once the pod runs. */
type Delivery = 'configmap' | 'stdin';

function podFor(
  name: string,
  labels: Record<string, string>,
  image: string,
  runtimeClassName: string,
  limits: SandboxLimits,
  delivery: Delivery = 'configmap',
): V1Pod {
  const fromStdin = delivery === 'stdin';
  return {
    metadata: { name, labels },
    spec: {
      runtimeClassName,
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      // A pooled pod waits before its run; the executor's own timer bounds the run itself.
      activeDeadlineSeconds: fromStdin ? POOLED_POD_DEADLINE_S : Math.ceil(limits.wallMs / 1000),
      terminationGracePeriodSeconds: 0,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: SANDBOX_UID,
        runAsGroup: SANDBOX_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'runner',
          image,
          imagePullPolicy: 'IfNotPresent',
          args: fromStdin ? ['-', '--warm-up'] : ['/in/script.js', '/in/input.json'],
          ...(fromStdin ? { stdin: true, stdinOnce: true } : {}),
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { cpu: '1', memory: `${limits.memoryMiB}Mi` },
          },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            ...(fromStdin ? [] : [{ name: 'in', mountPath: '/in', readOnly: true }]),
            { name: 'scratch', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        ...(fromStdin ? [] : [{ name: 'in', configMap: { name } }]),
        { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
      ],
    },
  };
}

/**
 * The API server's refusals that mean the sandbox itself is misconfigured, not that the script failed:
 * the operator cannot fix them by retrying, whoever installed it can.
 */
function setupError(err: unknown, namespace: string): unknown {
  // A 404 while creating can only be the namespace: nothing else those requests name exists beforehand.
  if (!(err instanceof ApiException)) return err;
  if (err.code === 403) {
    return new SandboxSetupError(
      'VIBE_SANDBOX_POD_FORBIDDEN',
      `the operator may not run sandbox pods in namespace ${namespace}: install the chart's sandbox Role ` +
        `there (charts/vibe-operator, value sandbox.namespace) or set --sandbox-namespace to the namespace ` +
        `it covers. The API server said: ${messageOf(err)}`,
    );
  }
  if (err.code === 404) {
    return new SandboxSetupError(
      'VIBE_SANDBOX_NAMESPACE_MISSING',
      `the sandbox namespace ${namespace} does not exist: create it (the chart does, with ` +
        `sandbox.createNamespace) or set --sandbox-namespace. The API server said: ${messageOf(err)}`,
    );
  }
  return err;
}

function messageOf(err: ApiException<unknown>): string {
  const body = err.body as { message?: unknown } | string | undefined;
  if (typeof body === 'string') {
    try {
      return String((JSON.parse(body) as { message?: unknown }).message ?? body);
    } catch {
      return body;
    }
  }
  return String(body?.message ?? `HTTP ${err.code}`);
}

export function podExecutor(options: PodExecutorOptions): SandboxExecutor {
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const networking = options.kubeConfig.makeApiClient(NetworkingV1Api);
  const namespace = options.namespace;
  const pollMs = options.pollMs ?? 250;
  const runtimeClassName = options.runtimeClassName ?? 'gvisor';
  const runnerContext = {
    core,
    networking,
    attach: new Attach(options.kubeConfig),
    namespace,
    image: options.image,
    runtimeClassName,
    podFor: (name: string, labels: Record<string, string>, limits: SandboxLimits) =>
      podFor(name, labels, options.image, runtimeClassName, limits, 'stdin'),
    pollMs,
  };
  const pool = new WarmPool<PodRunner>({
    size: options.poolSize ?? 0,
    boot: (signal) =>
      bootPodRunner(runnerContext, DEFAULT_SANDBOX_LIMITS, signal).catch((err: unknown) => {
        throw setupError(err, namespace);
      }),
    ...(options.poolObserver ? { observer: options.poolObserver } : {}),
  });
  pool.fill();
  /** Deletes of used pods still running; close() waits for them. */
  const removals = new Set<Promise<void>>();

  /** Runs in a pooled pod; undefined when the hand-over failed (the caller runs the script in a pod of its own). */
  async function runPooled(
    runner: PodRunner,
    request: string,
    limits: SandboxLimits,
    started: number,
  ): Promise<SandboxResult | undefined> {
    try {
      return interpret(await runner.run(request), limits, performance.now() - started);
    } catch (err) {
      options.poolObserver?.handOverFailed?.(err);
      return undefined;
    } finally {
      const removal = runner.destroy().finally(() => removals.delete(removal));
      removals.add(removal);
    }
  }

  async function finished(name: string, deadline: number): Promise<V1Pod | undefined> {
    while (Date.now() < deadline) {
      const pod = await core.readNamespacedPod({ name, namespace });
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return pod;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return undefined;
  }

  /** The run's deny-all NetworkPolicy first, so the pod never exists without it; then its input, then the pod. */
  async function setUp(
    name: string,
    labels: Record<string, string>,
    code: string,
    input: unknown,
    limits: SandboxLimits,
  ): Promise<void> {
    await networking.createNamespacedNetworkPolicy({
      namespace,
      body: {
        metadata: { name, labels },
        spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'] },
      },
    });
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name, labels }, data: { 'script.js': code, 'input.json': JSON.stringify(input) } },
    });
    await core.createNamespacedPod({
      namespace,
      body: podFor(name, labels, options.image, runtimeClassName, limits),
    });
  }

  async function cleanUp(name: string): Promise<void> {
    await Promise.allSettled([
      core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }),
      core.deleteNamespacedConfigMap({ name, namespace }),
      networking.deleteNamespacedNetworkPolicy({ name, namespace }),
    ]);
  }

  return {
    name: 'pod',
    unsafe: false,
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const started = performance.now();
      const limits = { ...DEFAULT_SANDBOX_LIMITS, ...request.limits };
      const compiled = await transpile(request.source);
      if (!compiled.ok) return compileFailure(compiled.message, performance.now() - started);
      // The pool's pods carry the default limits in their spec; other limits need their own pod.
      const pooled = JSON.stringify(limits) === JSON.stringify(DEFAULT_SANDBOX_LIMITS);
      if (!pooled) options.poolObserver?.miss?.();
      const runner = pooled ? pool.take() : undefined;
      if (runner) {
        const result = await runPooled(
          runner,
          runnerRequest(compiled.code, request, limits),
          limits,
          started,
        );
        if (result) return result;
      }
      const name = `vibe-sandbox-${randomBytes(5).toString('hex')}`;
      const labels = { 'app.kubernetes.io/managed-by': 'vibe', 'vibe.dev/sandbox-run': name };
      try {
        await setUp(name, labels, compiled.code, runnerInput(request, limits), limits).catch(
          (err: unknown) => {
            throw setupError(err, namespace);
          },
        );
        // Pod start (scheduling, image, sandbox boot) is not the script's time: allow it on top.
        const pod = await finished(name, Date.now() + limits.wallMs + 60_000);
        const state = pod?.status?.containerStatuses?.[0]?.state?.terminated;
        const log = pod
          ? await core.readNamespacedPodLog({
              name,
              namespace,
              container: 'runner',
              limitBytes: limits.maxOutputBytes + 1,
            })
          : '';
        const run: BoundedRun = {
          stdout: log,
          stderr: state?.message ?? '',
          exitCode: state?.reason === 'OOMKilled' ? 137 : (state?.exitCode ?? null),
          signal: null,
          timedOut: !pod || pod.status?.reason === 'DeadlineExceeded',
          outputExceeded: Buffer.byteLength(log) > limits.maxOutputBytes,
        };
        return interpret(run, limits, performance.now() - started);
      } finally {
        await cleanUp(name);
      }
    },
    async close() {
      await pool.drain();
      await Promise.all(removals);
    },
  };
}
