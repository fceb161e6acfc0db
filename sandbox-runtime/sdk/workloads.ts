/** The application blocks: services, workers, scheduled jobs and static sites. */
import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { z } from 'zod';
import { currentEnvironment, parseSpec, type Environment } from './environment.js';
import {
  containerSecurity,
  DEFAULT_USER,
  READINESS,
  startupProbe,
  envVariables,
  podSecurity,
  resources,
  scratch,
} from './pod-defaults.js';
import { CronJobSpec, StaticSiteSpec, WebServiceSpec, WorkerSpec, type Ref } from './schemas.js';

type Uses = z.output<typeof WebServiceSpec>['uses'];

function connectTo(env: Environment, block: string, container: kplus.Container, uses: Uses): void {
  for (const used of uses ?? []) {
    const connection = env.connection(block, used);
    const secret = kplus.Secret.fromSecretName(
      env.chart,
      `${block}-uses-${connection.name}`,
      connection.secretName,
    );
    container.env.copyFrom(kplus.Env.fromSecret(secret));
  }
}

function labels(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': 'vibe',
  };
}

export function webService(name: string, spec: z.input<typeof WebServiceSpec>): Ref {
  const env = currentEnvironment();
  const id = env.claim('webService', name);
  const s = parseSpec('webService', id, WebServiceSpec, spec);
  const user = s.user ?? DEFAULT_USER;
  const probe = s.healthPath
    ? kplus.Probe.fromHttpGet(s.healthPath, { port: s.port, ...READINESS })
    : kplus.Probe.fromTcpSocket({ port: s.port, ...READINESS });
  const deployment = new kplus.Deployment(env.chart, id, {
    metadata: { name: id, labels: labels(id, 'web') },
    podMetadata: { labels: labels(id, 'web') },
    replicas: s.replicas,
    securityContext: podSecurity(user),
    containers: [
      {
        name: id,
        image: s.image,
        portNumber: s.port,
        command: s.command,
        args: s.args,
        envVariables: envVariables(s.env),
        resources: resources(s.resources),
        securityContext: containerSecurity(user),
        readiness: probe,
        startup: startupProbe(s.port),
        liveness: s.healthPath
          ? kplus.Probe.fromHttpGet(s.healthPath, { port: s.port, failureThreshold: 6 })
          : kplus.Probe.fromTcpSocket({ port: s.port, failureThreshold: 6 }),
      },
    ],
  });
  const container = deployment.containers[0]!;
  scratch(deployment, container, ['/tmp'], id);
  connectTo(env, `webService("${id}")`, container, s.uses);
  const service = deployment.exposeViaService({ name: id, ports: [{ port: s.port, targetPort: s.port }] });
  if (s.public) expose(env, id, service, s.port);
  return env.register({ name: id, host: id, port: s.port });
}

function expose(env: Environment, name: string, service: kplus.Service, port: number): void {
  const host = env.facts.previewDomain ? `${name}.${env.facts.previewDomain}` : undefined;
  new kplus.Ingress(env.chart, `${name}-ingress`, {
    metadata: { name, labels: labels(name, 'preview') },
    className: env.facts.ingressClass,
    rules: [{ host, path: '/', backend: kplus.IngressBackend.fromService(service, { port }) }],
  });
}

export function worker(name: string, spec: z.input<typeof WorkerSpec>): Ref {
  const env = currentEnvironment();
  const id = env.claim('worker', name);
  const s = parseSpec('worker', id, WorkerSpec, spec);
  const user = s.user ?? DEFAULT_USER;
  const deployment = new kplus.Deployment(env.chart, id, {
    metadata: { name: id, labels: labels(id, 'worker') },
    podMetadata: { labels: labels(id, 'worker') },
    replicas: s.replicas,
    securityContext: podSecurity(user),
    containers: [
      {
        name: id,
        image: s.image,
        command: s.command,
        args: s.args,
        envVariables: envVariables(s.env),
        resources: resources(s.resources),
        securityContext: containerSecurity(user),
      },
    ],
  });
  const container = deployment.containers[0]!;
  scratch(deployment, container, ['/tmp'], id);
  connectTo(env, `worker("${id}")`, container, s.uses);
  return env.register({ name: id, host: id, port: 0 });
}

function cronField(value: string | undefined): string | undefined {
  return value === '*' ? undefined : value;
}

export function cronJob(name: string, spec: z.input<typeof CronJobSpec>): Ref {
  const env = currentEnvironment();
  const id = env.claim('cronJob', name);
  const s = parseSpec('cronJob', id, CronJobSpec, spec);
  const [minute, hour, day, month, weekDay] = s.schedule.split(' ');
  const user = s.user ?? DEFAULT_USER;
  const job = new kplus.CronJob(env.chart, id, {
    metadata: { name: id, labels: labels(id, 'cron') },
    podMetadata: { labels: labels(id, 'cron') },
    schedule: Cron.schedule({
      minute: cronField(minute),
      hour: cronField(hour),
      day: cronField(day),
      month: cronField(month),
      weekDay: cronField(weekDay),
    }),
    securityContext: podSecurity(user),
    containers: [
      {
        name: id,
        image: s.image,
        command: s.command,
        args: s.args,
        envVariables: envVariables(s.env),
        resources: resources(s.resources),
        securityContext: containerSecurity(user),
      },
    ],
  });
  const container = job.containers[0]!;
  scratch(job, container, ['/tmp'], id);
  connectTo(env, `cronJob("${id}")`, container, s.uses);
  return env.register({ name: id, host: id, port: 0 });
}

const STATIC_IMAGE = 'docker.io/nginxinc/nginx-unprivileged:1.27-alpine';
const STATIC_USER = 101;
const STATIC_PORT = 8080;

export function staticSite(name: string, spec: z.input<typeof StaticSiteSpec>): Ref {
  const env = currentEnvironment();
  const id = env.claim('staticSite', name);
  const s = parseSpec('staticSite', id, StaticSiteSpec, spec);
  const content = new kplus.ConfigMap(env.chart, `${id}-content`, {
    metadata: { name: `${id}-content`, labels: labels(id, 'static') },
    data: s.files,
  });
  const deployment = new kplus.Deployment(env.chart, id, {
    metadata: { name: id, labels: labels(id, 'static') },
    podMetadata: { labels: labels(id, 'static') },
    securityContext: podSecurity(STATIC_USER),
    containers: [
      {
        name: id,
        image: STATIC_IMAGE,
        portNumber: STATIC_PORT,
        resources: resources(undefined),
        securityContext: containerSecurity(STATIC_USER),
        readiness: kplus.Probe.fromHttpGet('/', { port: STATIC_PORT, ...READINESS }),
        startup: startupProbe(STATIC_PORT),
      },
    ],
  });
  const container = deployment.containers[0]!;
  container.mount('/usr/share/nginx/html', kplus.Volume.fromConfigMap(env.chart, `${id}-html`, content), {
    readOnly: true,
  });
  scratch(deployment, container, ['/tmp'], id);
  const service = deployment.exposeViaService({
    name: id,
    ports: [{ port: STATIC_PORT, targetPort: STATIC_PORT }],
  });
  if (s.public) expose(env, id, service, STATIC_PORT);
  return env.register({ name: id, host: id, port: STATIC_PORT });
}
