/**
 * The Helm chart as tests install it: rendered by the real helm binary the cluster tooling builds,
 * applied object by object as the cluster admin (there is no operator image, so never the
 * Deployment), and its ServiceAccount turned into a kubeconfig so the code under test runs with the
 * chart's RBAC and nothing more.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from '../../operator/src/environment/index.js';
import { applyObject, deleteObject } from '../../operator/src/reconciler/apply.js';
import { isApiError } from '../../operator/src/reconciler/errors.js';
import { KubeClient, PATCH } from '../../operator/src/reconciler/kube-client.js';
import { RestMapper } from '../../operator/src/reconciler/rest-mapper.js';
import { cacheDir } from '../../operator/src/sandbox/cache-dir.js';
import { kubeconfigPath, waitFor } from './kube.js';

const CHART = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../charts/vibe-operator');
const FIELD_MANAGER = 'vibe-tests-chart';

/** `$VIBE_CACHE/bin/helm`, which `bash test/cluster/build.sh helm` (part of `all`) builds. */
export function helmBinary(): string {
  const helm = path.join(cacheDir(), 'bin', 'helm');
  if (!existsSync(helm)) {
    throw new Error(`helm is not built (${helm} is missing): run \`bash test/cluster/build.sh helm\`.`);
  }
  return helm;
}

/** `helm template` of the chart for a release, with `--set` values (helm types them: true is a boolean). */
export function renderChart(
  release: string,
  namespace: string,
  values: Record<string, string> = {},
): Manifest[] {
  const sets = Object.entries(values).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  const text = execFileSync(helmBinary(), ['template', release, CHART, '--namespace', namespace, ...sets], {
    encoding: 'utf8',
  });
  const objects = parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
  // helm itself renders a duplicate silently; installing it then fails or hides one of the two.
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(key)) throw new Error(`the chart renders ${key} twice`);
    seen.add(key);
  }
  return objects;
}

/** A rendered release applied to the cluster, minus its Deployment. */
export class ChartRelease {
  private readonly mapper: RestMapper;

  private constructor(
    private readonly admin: KubeClient,
    readonly name: string,
    readonly namespace: string,
    readonly objects: Manifest[],
  ) {
    this.mapper = new RestMapper(admin);
  }

  /**
   * Renders the chart, creates the release namespace and applies every object but the Deployment,
   * which the API server only validates and admits (dryRun=All): there is no operator image to run.
   * Cluster-scoped names carry the release name, so concurrent releases never collide.
   */
  static async install(
    admin: KubeClient,
    name: string,
    namespace: string,
    values: Record<string, string> = {},
  ): Promise<ChartRelease> {
    // The suites install the CRDs themselves (installCrds); a release that owned them would delete
    // them, and every other suite's environments, on uninstall.
    const rendered = renderChart(name, namespace, { 'crds.enabled': 'false', ...values });
    const release = new ChartRelease(admin, name, namespace, rendered);
    await applyObject(
      admin,
      release.mapper,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      FIELD_MANAGER,
    );
    for (const object of release.installable()) {
      await applyObject(admin, release.mapper, object, FIELD_MANAGER);
    }
    for (const deployment of release.objects.filter((o) => o.kind === 'Deployment')) {
      await admin.request({
        method: 'PATCH',
        path: `/apis/apps/v1/namespaces/${namespace}/deployments/${deployment.metadata.name}`,
        contentType: PATCH.apply,
        body: deployment,
        query: { fieldManager: FIELD_MANAGER, force: true, dryRun: 'All', fieldValidation: 'Strict' },
      });
    }
    return release;
  }

  /** What a cluster without the operator's image can hold: everything but the Deployment. */
  installable(): Manifest[] {
    return this.objects.filter((o) => o.kind !== 'Deployment');
  }

  /**
   * A kubeconfig for the release's ServiceAccount (a TokenRequest token, valid for `seconds`), also
   * written to `file` when given, once its ClusterRoleBinding authorizes requests.
   */
  async serviceAccountKubeconfig(file?: string, seconds = 3600): Promise<KubeConfig> {
    const { status } = await this.admin.request<{ status: { token: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/${this.namespace}/serviceaccounts/${this.name}/token`,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: seconds },
      },
    });
    const base = new KubeConfig();
    base.loadFromFile(kubeconfigPath());
    const cluster = base.getCurrentCluster();
    if (!cluster) throw new Error('the test kubeconfig has no current cluster');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [cluster],
      users: [{ name: this.name, token: status.token }],
      contexts: [{ name: this.name, cluster: cluster.name, user: this.name }],
      currentContext: this.name,
    });
    if (file) writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
    const client = new KubeClient(kc);
    try {
      // The binding reaches the API server's RBAC cache a moment after it is written.
      await waitFor('the chart RBAC to take effect', () =>
        client.request({ method: 'GET', path: '/api/v1/namespaces' }).then(() => true),
      );
    } finally {
      client.close();
    }
    return kc;
  }

  /** Writes the operator's config file as the release's ConfigMap holds it; returns its path. */
  writeOperatorConfig(file: string): string {
    const configMap = this.objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === `${this.name}-config`,
    );
    const text = (configMap?.data as Record<string, string> | undefined)?.['config.yaml'];
    if (!text) throw new Error(`the chart rendered no ConfigMap ${this.name}-config with a config.yaml`);
    writeFileSync(file, text);
    return file;
  }

  /** Deletes what install applied, cluster-scoped objects and namespaces included. */
  async uninstall(): Promise<void> {
    const namespaces = [
      ...this.installable()
        .filter((o) => o.kind === 'Namespace')
        .map((o) => o.metadata.name),
      this.namespace,
    ];
    for (const object of this.installable().filter((o) => o.kind !== 'Namespace')) {
      // Namespaced objects go with their namespace.
      if (object.metadata.namespace && namespaces.includes(object.metadata.namespace)) continue;
      await this.delete(object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace);
    }
    for (const name of namespaces) await this.delete('v1', 'Namespace', name);
  }

  private async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
    await deleteObject(this.admin, this.mapper, {
      apiVersion,
      kind,
      name,
      ...(namespace ? { namespace } : {}),
    }).catch((err: unknown) => {
      if (!isApiError(err, 404)) throw err;
    });
  }
}
