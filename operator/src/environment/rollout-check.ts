import type { Diagnostic } from '../agent/diagnostics.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import type { ObjectRef, Rollout } from './runtime.js';

/** Waiting reasons that no amount of waiting fixes: the plan has to change. */
const FATAL_WAITING = new Set(['ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'CrashLoopBackOff']);

interface DeploymentObject {
  metadata: { generation?: number };
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { spec?: { containers?: Array<{ image?: string }> } };
  };
  status?: { observedGeneration?: number; availableReplicas?: number; updatedReplicas?: number };
}

interface PodObject {
  metadata: { name: string; deletionTimestamp?: string };
  status?: {
    containerStatuses?: Array<{
      name: string;
      image: string;
      state?: { waiting?: { reason?: string; message?: string } };
    }>;
  };
}

/**
 * The rollout of the Deployments a plan applied: ready when each has its
 * updated replicas available; a pod of theirs stuck on an image pull or in a
 * crash loop is a diagnostic for the agent (gate `rollout`). The isolation
 * branch's readiness module replaces this with StatefulSets, Jobs, probes,
 * scheduling and log lines.
 */
export async function checkDeployments(
  client: KubeClient,
  namespace: string,
  applied: ObjectRef[],
): Promise<Rollout> {
  const pending: string[] = [];
  const failures: Diagnostic[] = [];
  for (const ref of applied.filter((r) => r.kind === 'Deployment')) {
    const d = await client.request<DeploymentObject>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/${ref.name}`,
    });
    const want = d.spec.replicas ?? 1;
    const rolledOut =
      (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
      (d.status?.updatedReplicas ?? 0) >= want &&
      (d.status?.availableReplicas ?? 0) >= want;
    if (rolledOut) continue;
    pending.push(`Deployment/${ref.name}`);
    const selector = Object.entries(d.spec.selector?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = await client.request<{ items: PodObject[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/pods`,
      query: { labelSelector: selector },
    });
    // Pods of an earlier plan's template may still fail while the new one rolls out; only the current images count.
    const current = new Set((d.spec.template?.spec?.containers ?? []).map((c) => c.image));
    for (const pod of pods.items.filter((p) => !p.metadata.deletionTimestamp)) {
      for (const c of pod.status?.containerStatuses ?? []) {
        const waiting = c.state?.waiting;
        if (!waiting?.reason || !FATAL_WAITING.has(waiting.reason) || !current.has(c.image)) continue;
        failures.push({
          gate: 'rollout' as Diagnostic['gate'],
          code: waiting.reason,
          object: `Deployment/${ref.name}`,
          message: `container ${c.name} of pod ${pod.metadata.name} (image ${c.image}) is in ${waiting.reason}: ${waiting.message ?? 'no detail'}`,
        });
      }
    }
  }
  return { ready: pending.length === 0, pending, failures };
}
