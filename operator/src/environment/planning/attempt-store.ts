import type { Diagnostic } from '../../agent/diagnostics.js';
import type { AttemptRecord } from '../../agent/audit.js';
import { API_VERSION, LABEL_MANAGED_BY, MANAGED_BY } from '../../api/group.js';
import { KIND, type VibeEnvironment } from '../../api/vibe-environment.js';
import { applyObject, deleteObject, getObject } from '../../reconciler/apply.js';
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

/**
 * Attempts and the accepted plan as ConfigMaps next to the VibeEnvironment,
 * owned by it (so they go when it goes) and labelled with the hash of the
 * planner inputs they answer. They are what makes planning restartable: a
 * stored script is replayed instead of asking the model again.
 */
export class AttemptStore {
  constructor(
    private readonly client: KubeClient,
    private readonly mapper: RestMapper,
    private readonly fieldManager: string,
  ) {}

  /** The attempts answering one set of plan inputs, in order. */
  async attempts(env: VibeEnvironment, inputs: string): Promise<StoredAttempt[]> {
    const items = await this.list(env, `,${LABEL_PLAN_INPUTS}=${inputs}`);
    return items
      .map(recordOf)
      .filter((r): r is StoredAttempt => r !== null)
      .sort((a, b) => a.attempt - b.attempt);
  }

  /**
   * Every attempt of this environment, whatever inputs it answered: what the
   * environment has spent over its life. Records of a predecessor under the
   * same name (owned by another uid, not yet garbage-collected) are left out.
   */
  async allAttempts(env: VibeEnvironment): Promise<StoredAttempt[]> {
    const items = await this.list(env, '');
    return items
      .filter((cm) => cm.metadata?.ownerReferences?.some((o) => o.uid === env.metadata.uid))
      .map(recordOf)
      .filter((r): r is StoredAttempt => r !== null);
  }

  private async list(env: VibeEnvironment, moreLabels: string): Promise<AttemptConfigMap[]> {
    const list = await this.client.request<{ items: AttemptConfigMap[] }>({
      method: 'GET',
      path: collectionPath(CORE.configMap, env.metadata.namespace),
      query: {
        labelSelector: `${LABEL_ENVIRONMENT}=${labelValue(env.metadata.name)},${LABEL_RECORD}=attempt${moreLabels}`,
      },
    });
    return list.items;
  }

  async saveAttempt(env: VibeEnvironment, inputs: string, record: StoredAttempt): Promise<void> {
    const data: Record<string, string> = { record: JSON.stringify(record) };
    if (record.script) data['script.ts'] = record.script;
    await this.write(env, `${env.metadata.name}.attempt-${inputs.slice(0, 8)}-${record.attempt}`, inputs, {
      kind: 'attempt',
      data,
    });
  }

  async plan(env: VibeEnvironment): Promise<StoredPlan | undefined> {
    const cm = await getObject<{ metadata: { name: string }; data?: Record<string, string> }>(
      this.client,
      this.mapper,
      { apiVersion: 'v1', kind: 'ConfigMap', name: planName(env), namespace: env.metadata.namespace },
    );
    return cm?.data?.plan ? (JSON.parse(cm.data.plan) as StoredPlan) : undefined;
  }

  async savePlan(env: VibeEnvironment, plan: StoredPlan): Promise<void> {
    await this.write(env, planName(env), plan.inputs, {
      kind: 'plan',
      data: { plan: JSON.stringify(plan), 'script.ts': plan.script },
    });
  }

  /** Forgets the plan so the next reconcile plans again (after a failed rollout). */
  async dropPlan(env: VibeEnvironment): Promise<void> {
    await deleteObject(this.client, this.mapper, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: planName(env),
      namespace: env.metadata.namespace,
    });
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

interface AttemptConfigMap {
  metadata?: { ownerReferences?: Array<{ uid?: string }> };
  data?: Record<string, string>;
}

function recordOf(cm: AttemptConfigMap): StoredAttempt | null {
  return JSON.parse(cm.data?.record ?? 'null') as StoredAttempt | null;
}

function planName(env: VibeEnvironment): string {
  return `${env.metadata.name}.plan`.slice(0, 253);
}
