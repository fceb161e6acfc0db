/** The cluster side of the Backstage suites: an operator planning offline and the environments it owns. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VibeEnvironment } from '../../operator/src/api/vibe-environment.js';
import type { KubeClient } from '../../operator/src/reconciler/kube-client.js';
import { environmentsPath } from '../../test/support/kube.js';

/** The repository's planner whose intent is the plan itself (a JSON array of manifests). */
export const manifestPlanner = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../test/support/manifest-planner.ts',
);

/** A plan the control-plane tier takes to Ready with a preview: a Service and an Ingress in front of it. */
export function previewPlan(service = 'web'): string {
  return JSON.stringify([
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service },
      spec: { selector: { app: service }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: service },
      spec: {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: service, port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    },
  ]);
}

export async function listEnvironments(kube: KubeClient, namespace: string): Promise<VibeEnvironment[]> {
  const list = await kube.request<{ items: VibeEnvironment[] }>({
    method: 'GET',
    path: environmentsPath(namespace),
  });
  return list.items;
}
