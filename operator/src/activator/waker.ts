import { ANNOTATION_WAKE } from '../api/labels.js';
import { PLURAL, type VibeEnvironment } from '../api/vibe-environment.js';
import { API_VERSION } from '../api/group.js';
import { PATCH, type KubeClient } from '../reconciler/kube-client.js';

export type WakeOutcome =
  { ok: true } | { ok: false; code: 'VIBE_WAKE_FAILED' | 'VIBE_WAKE_TIMEOUT'; message: string };

export interface WakerOptions {
  client: KubeClient;
  /** How long a wake may take before the requests waiting on it are answered 503. */
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Wakes sleeping environments for the activator: writes vibe.dev/wake once and waits until the
 * environment is Ready again. Requests that arrive during a wake share it, so a burst of requests
 * is one wake. A wake fails when the environment fails or its rollout does (the Ready condition's
 * reason RolloutFailed: an image removed while it slept), with that condition's message.
 */
export class Waker {
  private readonly wakes = new Map<string, Promise<WakeOutcome>>();
  private readonly timeoutMs: number;
  private readonly pollMs: number;

  constructor(private readonly opts: WakerOptions) {
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.pollMs = opts.pollMs ?? 250;
  }

  /** The environment's phase as last read: lets a caller tell a sleeping environment from a broken one. */
  async phase(namespace: string, name: string): Promise<string | undefined> {
    return (await this.read(namespace, name))?.status?.phase;
  }

  wake(namespace: string, name: string): Promise<WakeOutcome> {
    const key = `${namespace}/${name}`;
    let running = this.wakes.get(key);
    if (!running) {
      running = this.run(namespace, name).finally(() => this.wakes.delete(key));
      this.wakes.set(key, running);
    }
    return running;
  }

  private async run(namespace: string, name: string): Promise<WakeOutcome> {
    const started = Date.now();
    let asked = false;
    for (;;) {
      const env = await this.read(namespace, name);
      const phase = env?.status?.phase;
      const ready = env?.status?.conditions?.find((c) => c.type === 'Ready');
      if (!env) return this.failed(name, 'the VibeEnvironment is gone');
      if (phase === 'Ready') return { ok: true };
      if (
        phase === 'Failed' ||
        phase === 'Expired' ||
        phase === 'Terminating' ||
        ready?.reason === 'RolloutFailed'
      ) {
        return this.failed(name, ready?.message ?? env.status?.message ?? `it is ${phase}`);
      }
      if (phase === 'Sleeping' && !asked) {
        await this.askToWake(namespace, name);
        asked = true;
      }
      if (Date.now() - started > this.timeoutMs) {
        const seconds = Math.round(this.timeoutMs / 1000);
        return {
          ok: false,
          code: 'VIBE_WAKE_TIMEOUT',
          message: `VIBE_WAKE_TIMEOUT: the environment ${name} did not wake within ${seconds} s (phase ${phase ?? 'Pending'}: ${env.status?.message ?? ''}); retry, or read vibe get ${name} and its events.`,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private failed(name: string, reason: string): WakeOutcome {
    return {
      ok: false,
      code: 'VIBE_WAKE_FAILED',
      message: `VIBE_WAKE_FAILED: the environment ${name} could not be woken: ${reason}`,
    };
  }

  private path(namespace: string, name: string): string {
    return `/apis/${API_VERSION}/namespaces/${namespace}/${PLURAL}/${encodeURIComponent(name)}`;
  }

  private async read(namespace: string, name: string): Promise<VibeEnvironment | undefined> {
    try {
      return await this.opts.client.request<VibeEnvironment>({
        method: 'GET',
        path: this.path(namespace, name),
      });
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw err;
    }
  }

  private async askToWake(namespace: string, name: string): Promise<void> {
    await this.opts.client.request({
      method: 'PATCH',
      path: this.path(namespace, name),
      contentType: PATCH.merge,
      body: { metadata: { annotations: { [ANNOTATION_WAKE]: new Date().toISOString() } } },
    });
  }
}
