import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyDocument, POLICY_API_VERSION } from './document.js';
import { evaluatePolicy } from './evaluate.js';

type Obj = Record<string, unknown>;

const safeContainer = (extra: Obj = {}): Obj => ({
  name: 'app',
  image: 'ghcr.io/acme/app:1.0',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  ...extra,
});

const withSecurity = (sc: Obj): Obj =>
  safeContainer({ securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] }, ...sc } });

const podSpec = (extra: Obj = {}, containers: Obj[] = [safeContainer()]): Obj => ({
  automountServiceAccountToken: false,
  containers,
  ...extra,
});

const deployment = (spec: Obj = podSpec(), top: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 1, template: { spec }, ...top },
});

const service = (spec: Obj): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });
const simple = (apiVersion: string, kind: string, name = 'x', extra: Obj = {}): Obj => ({
  apiVersion,
  kind,
  metadata: { name },
  ...extra,
});

interface Case {
  readonly name: string;
  readonly manifest: Obj;
  /** Empty when the manifest is allowed. */
  readonly refused: readonly { code: string; field: string }[];
}

const allowed = (name: string, manifest: Obj): Case => ({ name, manifest, refused: [] });
const refused = (name: string, manifest: Obj, code: string, field: string): Case => ({
  name,
  manifest,
  refused: [{ code, field }],
});

const cases: Case[] = [
  allowed('a hardened Deployment', deployment()),
  allowed('a StatefulSet', { ...deployment(), kind: 'StatefulSet' }),
  allowed('a Job', simple('batch/v1', 'Job', 'once', { spec: { template: { spec: podSpec() } } })),
  allowed(
    'a CronJob',
    simple('batch/v1', 'CronJob', 'nightly', {
      spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: { spec: podSpec() } } } },
    }),
  ),
  allowed('a bare Pod', simple('v1', 'Pod', 'p', { spec: podSpec() })),
  allowed('a ClusterIP Service', service({ ports: [{ port: 80 }] })),
  allowed('a Service without a type', service({ selector: { app: 'web' } })),
  allowed('an Ingress', simple('networking.k8s.io/v1', 'Ingress', 'web', { spec: { rules: [] } })),
  allowed('an HTTPRoute', simple('gateway.networking.k8s.io/v1', 'HTTPRoute', 'web', { spec: {} })),
  allowed('a ConfigMap', simple('v1', 'ConfigMap', 'cfg', { data: { a: 'b' } })),
  allowed('a Secret', simple('v1', 'Secret', 'creds', { stringData: { password: 'x' } })),
  allowed('a PersistentVolumeClaim', simple('v1', 'PersistentVolumeClaim', 'data', { spec: {} })),
  allowed('a NetworkPolicy', simple('networking.k8s.io/v1', 'NetworkPolicy', 'np', { spec: {} })),
  allowed('a PodDisruptionBudget', simple('policy/v1', 'PodDisruptionBudget', 'pdb', { spec: {} })),
  allowed(
    'a HorizontalPodAutoscaler',
    simple('autoscaling/v2', 'HorizontalPodAutoscaler', 'hpa', { spec: {} }),
  ),
  allowed(
    'a Deployment without resources (defaulted)',
    deployment(podSpec({}, [safeContainer({ resources: undefined })])),
  ),
  allowed('a namespace equal to the environment', {
    ...deployment(),
    metadata: { name: 'web', namespace: 'env-1' },
  }),
  allowed('an emptyDir volume', deployment(podSpec({ volumes: [{ name: 'tmp', emptyDir: {} }] }))),
  allowed('20 replicas', deployment(podSpec(), { replicas: 20 })),
  allowed(
    'a container port without hostPort',
    deployment(podSpec({}, [safeContainer({ ports: [{ containerPort: 8080 }] })])),
  ),

  refused(
    'a ClusterRole',
    simple('rbac.authorization.k8s.io/v1', 'ClusterRole', 'admin'),
    'VIBE_POLICY_KIND_NOT_ALLOWED',
    'kind',
  ),
  refused(
    'a ClusterRoleBinding',
    simple('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'pwn'),
    'VIBE_POLICY_KIND_NOT_ALLOWED',
    'kind',
  ),
  refused(
    'a namespaced Role',
    simple('rbac.authorization.k8s.io/v1', 'Role', 'r'),
    'VIBE_POLICY_KIND_NOT_ALLOWED',
    'kind',
  ),
  refused(
    'a RoleBinding',
    simple('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rb'),
    'VIBE_POLICY_KIND_NOT_ALLOWED',
    'kind',
  ),
  refused(
    'a CustomResourceDefinition',
    simple('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'crd'),
    'VIBE_POLICY_KIND_NOT_ALLOWED',
    'kind',
  ),
  refused(
    'a ValidatingWebhookConfiguration',
    simple('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'w'),
    'VIBE_POLICY_KIND_NOT_ALLOWED',
    'kind',
  ),
  refused(
    'a MutatingWebhookConfiguration',
    simple('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'w'),
    'VIBE_POLICY_KIND_NOT_ALLOWED',
    'kind',
  ),
  refused('a Namespace', simple('v1', 'Namespace', 'other'), 'VIBE_POLICY_KIND_NOT_ALLOWED', 'kind'),
  refused(
    'a PersistentVolume',
    simple('v1', 'PersistentVolume', 'pv'),
    'VIBE_POLICY_KIND_NOT_ALLOWED',
    'kind',
  ),
  refused('a DaemonSet', { ...deployment(), kind: 'DaemonSet' }, 'VIBE_POLICY_KIND_NOT_ALLOWED', 'kind'),
  refused('a ServiceAccount', simple('v1', 'ServiceAccount', 'sa'), 'VIBE_POLICY_KIND_NOT_ALLOWED', 'kind'),
  refused(
    'a Deployment in another namespace',
    { ...deployment(), metadata: { name: 'web', namespace: 'kube-system' } },
    'VIBE_POLICY_NAMESPACE',
    'metadata.namespace',
  ),
  refused(
    'hostNetwork',
    deployment(podSpec({ hostNetwork: true })),
    'VIBE_POLICY_HOST_NAMESPACE',
    'spec.template.spec.hostNetwork',
  ),
  refused(
    'hostPID',
    deployment(podSpec({ hostPID: true })),
    'VIBE_POLICY_HOST_NAMESPACE',
    'spec.template.spec.hostPID',
  ),
  refused(
    'hostIPC',
    deployment(podSpec({ hostIPC: true })),
    'VIBE_POLICY_HOST_NAMESPACE',
    'spec.template.spec.hostIPC',
  ),
  refused(
    'a hostPath volume',
    deployment(podSpec({ volumes: [{ name: 'root', hostPath: { path: '/' } }] })),
    'VIBE_POLICY_HOST_PATH',
    'spec.template.spec.volumes[0].hostPath',
  ),
  refused(
    'a privileged container',
    deployment(podSpec({}, [withSecurity({ privileged: true })])),
    'VIBE_POLICY_PRIVILEGED',
    'spec.template.spec.containers[0].securityContext.privileged',
  ),
  refused(
    'privilege escalation',
    deployment(podSpec({}, [withSecurity({ allowPrivilegeEscalation: true })])),
    'VIBE_POLICY_PRIVILEGE_ESCALATION',
    'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
  ),
  refused(
    'an added capability',
    deployment(podSpec({}, [withSecurity({ capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } })])),
    'VIBE_POLICY_CAPABILITIES',
    'spec.template.spec.containers[0].securityContext.capabilities.add[0]',
  ),
  refused(
    'capabilities not dropped',
    deployment(podSpec({}, [safeContainer({ securityContext: { runAsNonRoot: true } })])),
    'VIBE_POLICY_CAPABILITIES',
    'spec.template.spec.containers[0].securityContext.capabilities.drop',
  ),
  refused(
    'a hostPort',
    deployment(podSpec({}, [safeContainer({ ports: [{ containerPort: 80, hostPort: 80 }] })])),
    'VIBE_POLICY_HOST_PORT',
    'spec.template.spec.containers[0].ports[0].hostPort',
  ),
  refused(
    'a container running as root',
    deployment(podSpec({}, [withSecurity({ runAsUser: 0 })])),
    'VIBE_POLICY_RUN_AS_ROOT',
    'spec.template.spec.containers[0].securityContext.runAsUser',
  ),
  refused(
    'a pod running as root',
    deployment(podSpec({ securityContext: { runAsUser: 0 } })),
    'VIBE_POLICY_RUN_AS_ROOT',
    'spec.template.spec.securityContext.runAsUser',
  ),
  refused(
    'runAsNonRoot false',
    deployment(podSpec({}, [withSecurity({ runAsNonRoot: false })])),
    'VIBE_POLICY_RUN_AS_ROOT',
    'spec.template.spec.containers[0].securityContext.runAsNonRoot',
  ),
  refused(
    'a mounted service-account token',
    deployment(podSpec({ automountServiceAccountToken: true })),
    'VIBE_POLICY_SERVICE_ACCOUNT_TOKEN',
    'spec.template.spec.automountServiceAccountToken',
  ),
  refused(
    'a privileged init container',
    deployment(podSpec({ initContainers: [{ ...withSecurity({ privileged: true }), name: 'init' }] })),
    'VIBE_POLICY_PRIVILEGED',
    'spec.template.spec.initContainers[0].securityContext.privileged',
  ),
  refused(
    'a privileged CronJob',
    simple('batch/v1', 'CronJob', 'c', {
      spec: {
        schedule: '* * * * *',
        jobTemplate: { spec: { template: { spec: podSpec({}, [withSecurity({ privileged: true })]) } } },
      },
    }),
    'VIBE_POLICY_PRIVILEGED',
    'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged',
  ),
  refused(
    'a NodePort Service',
    service({ type: 'NodePort', ports: [{ port: 80 }] }),
    'VIBE_POLICY_SERVICE_TYPE',
    'spec.type',
  ),
  refused(
    'a LoadBalancer Service',
    service({ type: 'LoadBalancer', ports: [{ port: 80 }] }),
    'VIBE_POLICY_SERVICE_TYPE',
    'spec.type',
  ),
  refused(
    'an ExternalName Service',
    service({ type: 'ExternalName' }),
    'VIBE_POLICY_SERVICE_TYPE',
    'spec.type',
  ),
  refused(
    'external IPs',
    service({ externalIPs: ['1.2.3.4'] }),
    'VIBE_POLICY_EXTERNAL_IPS',
    'spec.externalIPs[0]',
  ),
  refused(
    'too many replicas',
    deployment(podSpec(), { replicas: 21 }),
    'VIBE_POLICY_REPLICAS',
    'spec.replicas',
  ),
  refused(
    'a Deployment without a pod spec',
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} },
    'VIBE_POLICY_POD_SPEC',
    'spec.template.spec',
  ),
  refused(
    'an object without a name',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
    'VIBE_POLICY_NAME',
    'metadata.name',
  ),
  refused('an upper-case name', simple('v1', 'ConfigMap', 'Bad_Name'), 'VIBE_POLICY_NAME', 'metadata.name'),
  refused(
    'an HTTPRoute attached to a Gateway when previews are Ingresses',
    simple('gateway.networking.k8s.io/v1', 'HTTPRoute', 'web', {
      spec: { parentRefs: [{ name: 'public', namespace: 'infra' }] },
    }),
    'VIBE_POLICY_ROUTE_PARENT',
    'spec.parentRefs[0]',
  ),
  refused(
    'a container without an image',
    deployment(podSpec({}, [safeContainer({ image: undefined })])),
    'VIBE_POLICY_IMAGE',
    'spec.template.spec.containers[0].image',
  ),
];

describe('policy gate table', () => {
  it('has at least 40 manifests, allowed and refused', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.refused.length).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => !c.refused.length).length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('$name', ({ manifest, refused: expected }) => {
    const result = evaluatePolicy([manifest], DEFAULT_POLICY, { namespace: 'env-1' });
    expect(result.violations.map((v) => ({ code: v.code, field: v.field }))).toEqual(expected);
    for (const v of result.violations) {
      expect(v.message.length).toBeGreaterThan(10);
      expect(v.fix.length).toBeGreaterThan(5);
      expect(v.object).toMatch(/^\w+\//);
    }
  });
});

describe('policy gate behaviour', () => {
  it('forces the environment namespace and fills missing requests and limits without touching the input', () => {
    const input = deployment(podSpec({}, [safeContainer({ resources: undefined })]));
    const before = JSON.stringify(input);
    const result = evaluatePolicy([input], DEFAULT_POLICY, { namespace: 'env-7' });
    expect(JSON.stringify(input)).toBe(before);
    const out = result.manifests[0] as { metadata: Obj; spec: { template: { spec: { containers: Obj[] } } } };
    expect(out.metadata.namespace).toBe('env-7');
    expect(out.spec.template.spec.containers[0]!.resources).toEqual(DEFAULT_POLICY.defaultResources);
    expect(result.defaulted).toEqual([
      'Deployment/web spec.template.spec.securityContext.runAsNonRoot',
      'Deployment/web spec.template.spec.securityContext.seccompProfile',
      'Deployment/web spec.template.spec.containers[0].resources',
    ]);
  });

  it('defaults automountServiceAccountToken to false when unset', () => {
    const spec = podSpec();
    delete spec.automountServiceAccountToken;
    const result = evaluatePolicy([deployment(spec)], DEFAULT_POLICY);
    const out = result.manifests[0] as { spec: { template: { spec: Obj } } };
    expect(out.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('applies image allow and deny lists', () => {
    const policy = PolicyDocument.parse({
      apiVersion: POLICY_API_VERSION,
      images: { allow: ['ghcr.io/acme/*', 'docker.io/library/*'], deny: ['*:latest'] },
    });
    const image = (i: string) => deployment(podSpec({}, [safeContainer({ image: i })]));
    const codes = (i: string) => evaluatePolicy([image(i)], policy).violations.map((v) => v.code);
    expect(codes('ghcr.io/acme/api:1')).toEqual([]);
    expect(codes('ghcr.io/acme/api:latest')).toEqual(['VIBE_POLICY_IMAGE']);
    expect(codes('quay.io/evil/miner:1')).toEqual(['VIBE_POLICY_IMAGE']);
  });

  it('limits the number of objects and their total size', () => {
    const policy = PolicyDocument.parse({
      apiVersion: POLICY_API_VERSION,
      maxObjects: 2,
      maxTotalBytes: 400,
    });
    const many = [1, 2, 3].map((i) => simple('v1', 'ConfigMap', `c${i}`, { data: { k: 'v'.repeat(100) } }));
    const codes = evaluatePolicy(many, policy).violations.map((v) => v.code);
    expect(codes).toEqual(['VIBE_POLICY_TOO_MANY_OBJECTS', 'VIBE_POLICY_TOO_LARGE']);
  });

  it('allows NodePort when the policy document says so', () => {
    const policy = PolicyDocument.parse({
      apiVersion: POLICY_API_VERSION,
      serviceTypes: ['ClusterIP', 'NodePort'],
    });
    expect(evaluatePolicy([service({ type: 'NodePort' })], policy).violations).toEqual([]);
  });

  describe('HTTPRoutes with a preview Gateway', () => {
    const gateway = { namespace: 'infra', name: 'preview', sectionName: 'http' };
    const route = (...parentRefs: Obj[]) =>
      simple('gateway.networking.k8s.io/v1', 'HTTPRoute', 'web', { spec: { parentRefs } });
    const check = (...parentRefs: Obj[]) =>
      evaluatePolicy([route(...parentRefs)], DEFAULT_POLICY, { namespace: 'env-1', gateway }).violations;

    it('allows the configured Gateway and listener, spelled in full or with defaults', () => {
      expect(check({ name: 'preview', namespace: 'infra', sectionName: 'http' })).toEqual([]);
      expect(
        check({
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: 'preview',
          namespace: 'infra',
          sectionName: 'http',
        }),
      ).toEqual([]);
      expect(check()).toEqual([]);
    });

    it('refuses every other parent and names the one allowed', () => {
      const refusals = check(
        { name: 'preview', namespace: 'infra', sectionName: 'http' },
        { name: 'internal', namespace: 'infra', sectionName: 'http' },
        { name: 'preview', namespace: 'other', sectionName: 'http' },
        { name: 'preview', namespace: 'infra', sectionName: 'admin' },
        { name: 'preview', namespace: 'infra' },
        { name: 'preview', namespace: 'infra', sectionName: 'http', port: 9443 },
        { name: 'preview', sectionName: 'http' },
        { group: '', kind: 'Service', name: 'preview', namespace: 'infra', sectionName: 'http' },
      );
      expect(refusals.map((v) => v.field)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `spec.parentRefs[${i}]`));
      expect(refusals.every((v) => v.code === 'VIBE_POLICY_ROUTE_PARENT')).toBe(true);
      expect(refusals[0]!.message).toBe(
        'names Gateway infra/internal listener http; preview routes may attach only to the Gateway infra/preview (listener http).',
      );
      // A parentRef without a namespace means the route's own: the environment namespace.
      expect(refusals[5]!.message).toContain('Gateway env-1/preview listener http');
    });

    it('leaves HTTPRoutes of another API group to the kind allow-list', () => {
      const foreign = { ...route({ name: 'x' }), apiVersion: 'example.com/v1' };
      const violations = evaluatePolicy([foreign], DEFAULT_POLICY, {
        namespace: 'env-1',
        gateway,
      }).violations;
      expect(violations.map((v) => v.code)).toEqual(['VIBE_POLICY_KIND_NOT_ALLOWED']);
    });
  });

  it('refuses a policy document of another version', () => {
    expect(PolicyDocument.safeParse({ apiVersion: 'policy.vibe.dev/v9' }).success).toBe(false);
  });
});
