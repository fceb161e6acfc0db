/**
 * Runs the runner as a Pod under the cluster's gVisor RuntimeClass: no service-account token, non-root,
 * read-only root, all capabilities dropped, RuntimeDefault seccomp, a deny-all NetworkPolicy, CPU and
 * memory limits and activeDeadlineSeconds. The script arrives in a ConfigMap; the result is read from
 * the pod's log; everything is deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import {
  ApiException,
  CoreV1Api,
  NetworkingV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { SandboxSetupError } from './errors.js';
import { compileFailure, interpret } from './result.js';
import { runnerInput } from './runner-input.js';
import type { BoundedRun } from './spawn-bounded.js';
import { transpile } from './transpile.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  type SandboxExecutor,
  type SandboxLimits,
  type SandboxRequest,
  type SandboxResult,
} from './types.js';

export interface PodExecutorOptions {
  readonly kubeConfig: KubeConfig;
  /** Where the sandbox pods run; not an environment's namespace. */
  readonly namespace: string;
  /** The sandbox-runtime image (sandbox-runtime/image/Dockerfile or `vibe sandbox image`). */
  readonly image: string;
  readonly runtimeClassName?: string;
  readonly pollMs?: number;
}

const SANDBOX_UID = 65534;

function podFor(
  name: string,
  labels: Record<string, string>,
  image: string,
  runtimeClassName: string,
  limits: SandboxLimits,
): V1Pod {
  return {
    metadata: { name, labels },
    spec: {
      runtimeClassName,
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: Math.ceil(limits.wallMs / 1000),
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
          args: ['/in/script.js', '/in/input.json'],
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
            { name: 'in', mountPath: '/in', readOnly: true },
            { name: 'scratch', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'in', configMap: { name } },
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
      body: podFor(name, labels, options.image, options.runtimeClassName ?? 'gvisor', limits),
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
  };
}
