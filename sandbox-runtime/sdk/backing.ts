/** Backing-service blocks: one Deployment, one Service and one Secret of client settings each. */
import * as kplus from 'cdk8s-plus-33';
import type { z } from 'zod';
import { engines, type EngineName } from './backing-catalog.js';
import { currentEnvironment, parseSpec } from './environment.js';
import {
  containerSecurity,
  envVariables,
  podSecurity,
  READINESS,
  startupProbe,
  resources,
  scratch,
} from './pod-defaults.js';
import { BackingSpec, DatabaseSpec, ObjectStoreSpec, type Ref } from './schemas.js';

interface Options {
  version?: string;
  database: string;
  user: string;
  bucket: string;
  resources?: z.output<typeof BackingSpec>['resources'];
}

function backingService(engineName: EngineName, block: string, name: string, o: Options): Ref {
  const env = currentEnvironment();
  const engine = engines[engineName];
  const settings = {
    name,
    password: env.password(name),
    database: o.database,
    user: o.user,
    bucket: o.bucket,
  };
  const labels = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': block,
    'app.kubernetes.io/managed-by': 'vibe',
  };
  const secretName = `${name}-connection`;
  new kplus.Secret(env.chart, `${name}-connection`, {
    metadata: { name: secretName, labels },
    stringData: engine.clientEnv(settings),
  });
  const deployment = new kplus.Deployment(env.chart, name, {
    metadata: { name, labels },
    podMetadata: { labels },
    replicas: 1,
    strategy: kplus.DeploymentStrategy.recreate(),
    securityContext: podSecurity(engine.user),
    containers: [
      {
        name: engineName.toLowerCase(),
        image: engine.image(o.version),
        portNumber: engine.port,
        args: 'args' in engine ? [...engine.args] : undefined,
        envVariables: envVariables(engine.serverEnv(settings)),
        resources: resources(o.resources, engine.resources),
        securityContext: containerSecurity(engine.user, engine.readOnlyRoot),
        readiness: kplus.Probe.fromTcpSocket({ port: engine.port, ...READINESS }),
        startup: startupProbe(engine.port),
        liveness: kplus.Probe.fromTcpSocket({ port: engine.port, failureThreshold: 6 }),
      },
    ],
  });
  scratch(deployment, deployment.containers[0]!, engine.writable, name);
  deployment.exposeViaService({ name, ports: [{ port: engine.port, targetPort: engine.port }] });
  const ref = { name, host: name, port: engine.port };
  return env.register(ref, { ...ref, secretName });
}

function database(engine: EngineName, block: string) {
  return (name: string, spec?: z.input<typeof DatabaseSpec>): Ref => {
    const id = currentEnvironment().claim(block, name);
    const s = parseSpec(block, id, DatabaseSpec, spec);
    return backingService(engine, block, id, { ...s, bucket: 'app' });
  };
}

function backing(engine: EngineName, block: string) {
  return (name: string, spec?: z.input<typeof BackingSpec>): Ref => {
    const id = currentEnvironment().claim(block, name);
    const s = parseSpec(block, id, BackingSpec, spec);
    return backingService(engine, block, id, { ...s, database: 'app', user: 'app', bucket: 'app' });
  };
}

export const postgres = database('postgres', 'postgres');
export const mysql = database('mysql', 'mysql');
export const mariadb = database('mariadb', 'mariadb');
export const mongodb = database('mongodb', 'mongodb');
export const redis = backing('redis', 'redis');
export const valkey = backing('valkey', 'valkey');
export const memcached = backing('memcached', 'memcached');
export const rabbitmq = backing('rabbitmq', 'rabbitmq');
export const kafka = backing('kafka', 'kafka');
export const nats = backing('nats', 'nats');

export function objectStore(name: string, spec?: z.input<typeof ObjectStoreSpec>): Ref {
  const id = currentEnvironment().claim('objectStore', name);
  const s = parseSpec('objectStore', id, ObjectStoreSpec, spec);
  return backingService('objectStore', 'objectStore', id, {
    database: 'app',
    user: 'vibe-admin',
    bucket: s.bucket,
    resources: s.resources,
  });
}
