import type { Diagnostic } from '../../agent/diagnostics.js';
import type { AttemptRecord } from '../../agent/audit.js';
import { API_VERSION, LABEL_MANAGED_BY, MANAGED_BY } from '../../api/group.js';
import { KIND, type VibeEnvironment } from '../../api/vibe-environment.js';
import { applyObject, deleteObject } from '../../reconciler/apply.js';
import type { KubeClient } from '../../reconciler/kube-client.js';
import { CORE, collectionPath } from '../../reconciler/resource.js';
import type { RestMapper } from '../../reconciler/rest-mapper.js';
import { LABEL_ENVIRONMENT, LABEL_PLAN_INPUTS, LABEL_RECORD, labelValue } from '../../api/labels.js';
import type { Manifest } from '../objects.js';
import type { RecordedUsage } from './usage.js';

/** One attempt as kept for audit and replay: the script, what the gates and the rollout said, what it cost. */
export interface StoredAttempt {
  attempt: number;
  author: string;
  script?: string;
  /** The author's refusal or failure, when no script came back. */
  authorFailure?: { code: string; message: string; refused: boolean };
  diagnostics: Diagnostic[];
  /** Rollout failures of this attempt's manifests on the cluster: fed to the next attempt. */
  runtime?: Diagnostic[];
  gates?: AttemptRecord['gates'];
  usage?: RecordedUsage & { roundTrips: number };
  model?: string;
  /** The hash of the manifests every gate passed (checks.ts manifestsDigest); apply verifies it. */
  checkedSha256?: string;
}

/** The plan being applied: the accepted attempt's script and the manifests it produced. */
export interface StoredPlan {
  hash: string;
  inputs: string;
  attempt: number;
  script: string;
  manifests: Manifest[];
  /** The host of the preview Ingress, when the plan exposes one. */
  previewHost?: string;
  /** The hash of the manifests as the policy gate and the dry-run saw them; apply refuses others. */
  checkedSha256?: string;
}

/** What one environment's records hold, as this process last read or wrote them. */
interface KnownRecords {
  plan: StoredPlan | undefined;
  /** Every attempt owned by the environment, with the inputs it answered. */
  attempts: Array<{ inputs: string; record: StoredAttempt }>;
}

/**
 * Attempts and the accepted plan as ConfigMaps next to the VibeEnvironment,
 * owned by it (so they go when it goes) and labelled with the hash of the
 * planner inputs they answer. They are what makes planning restartable: a
 * stored script is replayed instead of asking the model again.
 *
 * The operator is the records' only writer, so it reads an environment's
 * records once (one list) and keeps them, updated by its own writes, until
 * forget(); nothing it wrote is read back. An environment whose status has no
 * phase yet has no records: the Planning phase is written before any of them.
 */
export class AttemptStore {
  private readonly known = new Map<string, KnownRecords>();

  constructor(
    private readonly client: KubeClient,
    private readonly mapper: RestMapper,
    private readonly fieldManager: string,
  ) {}

  /** The attempts answering one set of plan inputs, in order. */
  async attempts(env: VibeEnvironment, inputs: string): Promise<StoredAttempt[]> {
    return (await this.records(env)).attempts
      .filter((a) => a.inputs === inputs)
      .map((a) => a.record)
      .sort((a, b) => a.attempt - b.attempt);
  }

  /**
   * Every attempt of this environment, whatever inputs it answered: what the
   * environment has spent over its life. Records of a predecessor under the
   * same name (owned by another uid, not yet garbage-collected) are left out.
   */
  async allAttempts(env: VibeEnvironment): Promise<StoredAttempt[]> {
    return (await this.records(env)).attempts.map((a) => a.record);
  }

  private async records(env: VibeEnvironment): Promise<KnownRecords> {
    const uid = env.metadata.uid ?? '';
    const cached = this.known.get(uid);
    if (cached) return cached;
    const known: KnownRecords = { plan: undefined, attempts: [] };
    if (env.status?.phase) {
      const list = await this.client.request<{ items: RecordConfigMap[] }>({
        method: 'GET',
        path: collectionPath(CORE.configMap, env.metadata.namespace),
        query: { labelSelector: `${LABEL_ENVIRONMENT}=${labelValue(env.metadata.name)}` },
      });
      for (const cm of list.items) {
        if (!cm.metadata?.ownerReferences?.some((o) => o.uid === uid)) continue;
        const kind = cm.metadata.labels?.[LABEL_RECORD];
        if (kind === 'plan' && cm.metadata.name === planName(env) && cm.data?.plan) {
          known.plan = JSON.parse(cm.data.plan) as StoredPlan;
        }
        const record = kind === 'attempt' ? recordOf(cm) : null;
        if (record) known.attempts.push({ inputs: cm.metadata.labels?.[LABEL_PLAN_INPUTS] ?? '', record });
      }
    }
    // A read that raced a write of this process keeps what the write left.
    const raced = this.known.get(uid);
    if (raced) return raced;
    if (uid) this.known.set(uid, known);
    return known;
  }

  async saveAttempt(env: VibeEnvironment, inputs: string, record: StoredAttempt): Promise<void> {
    const known = await this.records(env);
    const data: Record<string, string> = { record: JSON.stringify(record) };
    if (record.script) data['script.ts'] = record.script;
    await this.write(env, `${env.metadata.name}.attempt-${inputs.slice(0, 8)}-${record.attempt}`, inputs, {
      kind: 'attempt',
      data,
    });
    known.attempts = [
      ...known.attempts.filter((a) => a.inputs !== inputs || a.record.attempt !== record.attempt),
      { inputs, record },
    ];
  }

  async plan(env: VibeEnvironment): Promise<StoredPlan | undefined> {
    return (await this.records(env)).plan;
  }

  async savePlan(env: VibeEnvironment, plan: StoredPlan): Promise<void> {
    const known = await this.records(env);
    await this.write(env, planName(env), plan.inputs, {
      kind: 'plan',
      data: { plan: JSON.stringify(plan), 'script.ts': plan.script },
    });
    known.plan = plan;
  }

  /** Forgets the plan so the next reconcile plans again (after a failed rollout). */
  async dropPlan(env: VibeEnvironment): Promise<void> {
    const known = await this.records(env);
    await deleteObject(this.client, this.mapper, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: planName(env),
      namespace: env.metadata.namespace,
    });
    known.plan = undefined;
  }

  /** Drops what is kept of an environment that is being deleted; its records go with it. */
  forget(env: VibeEnvironment): void {
    this.known.delete(env.metadata.uid ?? '');
  }

  private async write(
    env: VibeEnvironment,
    name: string,
    inputs: string,
    content: { kind: 'attempt' | 'plan'; data: Record<string, string> },
  ): Promise<void> {
    const { metadata } = env;
    await applyObject(
      this.client,
      this.mapper,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: name.slice(0, 253),
          namespace: metadata.namespace,
          labels: {
            [LABEL_MANAGED_BY]: MANAGED_BY,
            [LABEL_ENVIRONMENT]: labelValue(metadata.name),
            [LABEL_PLAN_INPUTS]: inputs,
            [LABEL_RECORD]: content.kind,
          },
          ownerReferences: [
            { apiVersion: API_VERSION, kind: KIND, name: metadata.name, uid: metadata.uid, controller: true },
          ],
        },
        data: content.data,
      },
      this.fieldManager,
    );
  }
}

interface RecordConfigMap {
  metadata?: { name?: string; labels?: Record<string, string>; ownerReferences?: Array<{ uid?: string }> };
  data?: Record<string, string>;
}

function recordOf(cm: RecordConfigMap): StoredAttempt | null {
  return JSON.parse(cm.data?.record ?? 'null') as StoredAttempt | null;
}

function planName(env: VibeEnvironment): string {
  return `${env.metadata.name}.plan`.slice(0, 253);
}
