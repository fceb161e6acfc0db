/**
 * The safe defaults every container gets: non-root, read-only root with a scratch /tmp, no
 * capabilities, RuntimeDefault seccomp, requests and limits. Blocks only say what differs.
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { z } from 'zod';
import { SdkError } from './errors.js';
import type { Resources } from './schemas.js';

export const DEFAULT_USER = 10001;

/**
 * Readiness is probed every 2 s instead of Kubernetes' 10 s: an ephemeral environment is waited on
 * by a person, and with the default a pod that starts listening just after its first probe sits
 * unready for most of ten seconds. Liveness keeps the default period; it only restarts.
 */
export const READINESS = { periodSeconds: Duration.seconds(2) } as const;

/**
 * The startup probe every container with a port gets. cdk8s-plus adds one of its own otherwise,
 * at Kubernetes' 10 s period: its first check fails while the program is still starting, and
 * readiness is not even probed until the second, so every rollout took ten seconds longer. Probed
 * every second, with the same 30 s a slow starter had before.
 */
export function startupProbe(port: number): kplus.Probe {
  return kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(1), failureThreshold: 30 });
}

export interface ResourceDefaults {
  readonly cpu: readonly [request: string, limit: string];
  readonly memory: readonly [request: string, limit: string];
}

const SMALL: ResourceDefaults = { cpu: ['100m', '500m'], memory: ['128Mi', '256Mi'] };

function cpu(quantity: string): kplus.Cpu {
  if (quantity.endsWith('m')) return kplus.Cpu.millis(Number(quantity.slice(0, -1)));
  return kplus.Cpu.millis(Math.round(Number(quantity) * 1000));
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 1024, Gi: 1024 ** 2, Ti: 1024 ** 3 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

function memory(quantity: string): Size {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match)
    throw new SdkError('VIBE_SDK_INVALID_SPEC', `"${quantity}" is not a memory quantity such as "512Mi".`);
  const amount = Number(match[1]);
  const unit = match[2] ?? '';
  const kib = unit in BINARY ? amount * BINARY[unit]! : (amount * (DECIMAL[unit] ?? 1)) / 1024;
  if (Number.isInteger(kib / 1024)) return Size.mebibytes(kib / 1024);
  return Size.kibibytes(Math.ceil(kib));
}

/** A value the user gave is both request and limit; otherwise the block's defaults apply. */
export function resources(
  given: z.output<typeof Resources> | undefined,
  defaults: ResourceDefaults = SMALL,
): kplus.ContainerResources {
  return {
    cpu: given?.cpu
      ? { request: cpu(given.cpu), limit: cpu(given.cpu) }
      : { request: cpu(defaults.cpu[0]), limit: cpu(defaults.cpu[1]) },
    memory: given?.memory
      ? { request: memory(given.memory), limit: memory(given.memory) }
      : { request: memory(defaults.memory[0]), limit: memory(defaults.memory[1]) },
  };
}

export function containerSecurity(user: number, readOnlyRoot = true): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user,
    group: user,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: readOnlyRoot,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

export function podSecurity(user: number): kplus.PodSecurityContextProps {
  return { ensureNonRoot: true, user, group: user, fsGroup: user };
}

/** Mounts an emptyDir at each path a read-only container still needs to write. */
export function scratch(
  scope: kplus.AbstractPod,
  container: kplus.Container,
  paths: readonly string[],
  prefix: string,
): void {
  paths.forEach((path, index) => {
    const volume = kplus.Volume.fromEmptyDir(scope, `${prefix}-scratch-${index}`, `scratch-${index}`, {
      sizeLimit: Size.gibibytes(1),
    });
    container.mount(path, volume);
  });
}

export function envVariables(env: Record<string, string> | undefined): Record<string, kplus.EnvValue> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)]));
}
