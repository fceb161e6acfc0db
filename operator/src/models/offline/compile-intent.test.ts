import { describe, expect, it } from 'vitest';
import { compileIntent } from './compile-intent.js';
import type { WorkloadPlan } from './plan.js';

type Expected = {
  workloads?: Partial<WorkloadPlan>[];
  backing?: string[];
  versions?: Record<string, string>;
  sites?: number;
};

function plan(intent: string) {
  const result = compileIntent(intent);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.plan;
}

const served: [string, Expected][] = [
  [
    'A preview of my API, image ghcr.io/acme/orders-api:pr-42 listening on port 8080, with a Postgres database. Make it public.',
    {
      workloads: [{ kind: 'webService', image: 'ghcr.io/acme/orders-api:pr-42', port: 8080, public: true }],
      backing: ['postgres'],
    },
  ],
  [
    'redis plus a worker running registry.example.com/jobs/worker:2.3.1 with 4 replicas, no public access',
    {
      workloads: [
        { kind: 'worker', image: 'registry.example.com/jobs/worker:2.3.1', replicas: 4, public: false },
      ],
      backing: ['redis'],
    },
  ],
  [
    'Staging environment: frontend ghcr.io/acme/web:3.0 (port 3000, public), backend ghcr.io/acme/api:3.0 on port 8000 with 2 replicas, MySQL and Redis.',
    {
      workloads: [
        { name: 'frontend', image: 'ghcr.io/acme/web:3.0', port: 3000, public: true },
        { name: 'backend', image: 'ghcr.io/acme/api:3.0', port: 8000, replicas: 2, public: false },
      ],
      backing: ['mysql', 'redis'],
    },
  ],
  [
    'A nightly job at 02:30 running ghcr.io/acme/etl:7 that reads from a postgres database',
    {
      workloads: [{ kind: 'cronJob', image: 'ghcr.io/acme/etl:7', schedule: '30 2 * * *' }],
      backing: ['postgres'],
    },
  ],
  [
    'mongodb and a service using image docker.io/library/node-app:1.0 on port 4000 with env NODE_ENV=staging and LOG_LEVEL=debug',
    { workloads: [{ port: 4000, env: { NODE_ENV: 'staging', LOG_LEVEL: 'debug' } }], backing: ['mongodb'] },
  ],
  [
    'Deploy ghcr.io/acme/demo:latest with 3 replicas, 512Mi memory and half a CPU each, public preview',
    { workloads: [{ replicas: 3, memory: '512Mi', cpu: '500m', public: true, port: 8080 }] },
  ],
  [
    'A NATS server and a publisher ghcr.io/acme/telemetry:1.0 that nobody outside the cluster can reach',
    { workloads: [{ kind: 'worker', name: 'publisher', public: false }], backing: ['nats'] },
  ],
  [
    'Just a postgres 16 database I can connect to from inside the cluster',
    { workloads: [], backing: ['postgres'], versions: { postgres: '16' } },
  ],
  [
    'Run ghcr.io/acme/shop:2.1 on :8081 with three replicas and a MariaDB, reachable from the internet',
    { workloads: [{ port: 8081, replicas: 3, public: true }], backing: ['mariadb'] },
  ],
  [
    'I need a redis cache and an api from ghcr.io/acme/api:1.0 that listens on 5000, internal only',
    { workloads: [{ kind: 'webService', port: 5000, public: false }], backing: ['redis'] },
  ],
  [
    'Every 15 minutes run ghcr.io/acme/sync:3 against mysql',
    { workloads: [{ kind: 'cronJob', schedule: '*/15 * * * *' }], backing: ['mysql'] },
  ],
  [
    'weekly on sundays at midnight run ghcr.io/acme/report:1.4',
    { workloads: [{ kind: 'cronJob', schedule: '0 0 * * 0' }] },
  ],
  [
    'hourly job ghcr.io/acme/cleanup:0.1 with LOG_LEVEL set to info',
    { workloads: [{ schedule: '0 * * * *', env: { LOG_LEVEL: 'info' } }] },
  ],
  [
    'postgres 15, redis 7 and ghcr.io/acme/backend:4.2 on port 8000 with 2Gi memory and 1 CPU, public',
    {
      workloads: [{ port: 8000, memory: '2Gi', cpu: '1000m', public: true }],
      backing: ['postgres', 'redis'],
      versions: { postgres: '15', redis: '7' },
    },
  ],
  [
    'two instances of quay.io/org/svc:7 listening on port 7000 plus kafka',
    { workloads: [{ replicas: 2, port: 7000 }], backing: ['kafka'] },
  ],
  [
    'Deploy registry.gitlab.com/team/project/api:sha-1a2b3c on port 8080 with 5 replicas, not publicly accessible',
    { workloads: [{ replicas: 5, public: false, image: 'registry.gitlab.com/team/project/api:sha-1a2b3c' }] },
  ],
  [
    'a rabbitmq broker and a consumer worker ghcr.io/acme/consumer:1.1 with 3 replicas and a publisher ghcr.io/acme/producer:1.1',
    {
      workloads: [
        { kind: 'worker', replicas: 3, image: 'ghcr.io/acme/consumer:1.1' },
        { kind: 'worker', name: 'publisher', image: 'ghcr.io/acme/producer:1.1' },
      ],
      backing: ['rabbitmq'],
    },
  ],
  ['an S3 bucket and ghcr.io/acme/uploader:3 on port 8080', { backing: ['objectStore'] }],
  ['run nginx on port 8080 publicly', { workloads: [{ image: 'nginx', port: 8080, public: true }] }],
  [
    'nginx:1.27 on port 80, 2 replicas, expose it publicly',
    { workloads: [{ image: 'nginx:1.27', port: 80, replicas: 2, public: true }] },
  ],
  [
    'give me a database and a cache for ghcr.io/acme/app:0.3 running on port 4000',
    { workloads: [{ port: 4000 }], backing: ['postgres', 'redis'] },
  ],
  [
    'ghcr.io/acme/web:1.0 with a preview url, env API_URL=http://api:8000 and FEATURE_X=on, 250m cpu and 256Mi ram',
    {
      workloads: [
        { public: true, env: { API_URL: 'http://api:8000', FEATURE_X: 'on' }, cpu: '250m', memory: '256Mi' },
      ],
    },
  ],
  ['on weekdays at 6pm run ghcr.io/acme/digest:2', { workloads: [{ schedule: '0 18 * * 1-5' }] }],
  [
    'ghcr.io/acme/a:1 on port 80 and ghcr.io/acme/b:1 on port 81, both public',
    { workloads: [{ public: true }, { public: true }] },
  ],
  ['create a static site that says "Hello team"', { workloads: [], sites: 1 }],
  [
    'Launch ghcr.io/acme/site:2 with four replicas behind a public URL, plus a postgres:15 database',
    { workloads: [{ replicas: 4, public: true }], backing: ['postgres'], versions: { postgres: '15' } },
  ],
  [
    'Run a cron job every day at 6:00 that executes ghcr.io/acme/report:3 with command `node report.js`',
    { workloads: [{ kind: 'cronJob', schedule: '0 6 * * *', command: ['node', 'report.js'] }] },
  ],
  [
    'run docker.io/bitnami/redis:7.2 as a cache for ghcr.io/acme/api:1 on port 80',
    { workloads: [{ image: 'docker.io/bitnami/redis:7.2', port: 6379 }, { port: 80 }], backing: [] },
  ],
  [
    'ghcr.io/acme/app:3 on port 80 with TZ=Europe/Paris and GREETING="hello world"',
    { workloads: [{ env: { TZ: 'Europe/Paris', GREETING: 'hello world' } }] },
  ],
  [
    'every sunday at 23:45 run ghcr.io/acme/report:2 against mongodb',
    { workloads: [{ schedule: '45 23 * * 0' }], backing: ['mongodb'] },
  ],
  [
    'deploy 2 replicas of ghcr.io/acme/api:1 on port 8080 and 1 replica of ghcr.io/acme/admin:1 on port 9090',
    {
      workloads: [
        { replicas: 2, port: 8080 },
        { replicas: 1, port: 9090 },
      ],
    },
  ],
  ['ghcr.io/acme/api:1 on port 80, public through the ingress controller', { workloads: [{ public: true }] }],
  ['ghcr.io/acme/web:1 on port 80 with root path /app', { workloads: [{ port: 80 }] }],
  ['ghcr.io/acme/api:1 and postgres in the same namespace', { backing: ['postgres'] }],
  ['use the default storage class and create a postgres database', { workloads: [], backing: ['postgres'] }],
  ['ghcr.io/acme/indexer:4 runs hourly at minute 30', { workloads: [{ schedule: '30 * * * *' }] }],
  [
    'Grafana on port 3000, public, plus an internal ghcr.io/acme/metrics:1 on port 9100',
    {
      workloads: [
        { image: 'grafana/grafana', public: true },
        { port: 9100, public: false },
      ],
    },
  ],
  [
    'Two services: api (ghcr.io/x/api:1, port 8080) and web (ghcr.io/x/web:1, port 3000, public)',
    {
      workloads: [
        { name: 'api', port: 8080, public: false },
        { name: 'web', port: 3000, public: true },
      ],
    },
  ],
  ['two replicas of a worker ghcr.io/acme/w:1', { workloads: [{ kind: 'worker', replicas: 2 }] }],
  [
    'ghcr.io/acme/api:1 with a replica count of 4, runs on 8080',
    { workloads: [{ replicas: 4, port: 8080 }] },
  ],
  ['ghcr.io/acme/api:1 on port 8080, scale it to 3', { workloads: [{ replicas: 3 }] }],
  [
    'three consumers running ghcr.io/acme/consumer:2 reading from RabbitMQ',
    { workloads: [{ kind: 'worker', replicas: 3 }], backing: ['rabbitmq'] },
  ],
  [
    'PR preview: ghcr.io/acme/frontend:pr-9 (port 80) public, ghcr.io/acme/backend:pr-9 (port 8080) private, postgres',
    {
      workloads: [
        { port: 80, public: true },
        { port: 8080, public: false },
      ],
      backing: ['postgres'],
    },
  ],
  ['every 2h run ghcr.io/acme/sweep:1', { workloads: [{ schedule: '0 */2 * * *' }] }],
  ['each Monday at 08:00 run ghcr.io/acme/weekly:1', { workloads: [{ schedule: '0 8 * * 1' }] }],
  [
    'expose my API ghcr.io/acme/api:1 to the internet on port 8000',
    { workloads: [{ port: 8000, public: true, env: {} }] },
  ],
  [
    'ghcr.io/acme/app:1 from our private registry, on port 80 with a public URL',
    { workloads: [{ public: true }] },
  ],
  [
    'ghcr.io/acme/app:1 with DEBUG set to true and set MODE to fast',
    { workloads: [{ env: { DEBUG: 'true', MODE: 'fast' } }] },
  ],
  [
    'Two copies of ghcr.io/acme/api:3 on port 8080 accessible from my browser, 0.25 cores and 1.5Gi',
    { workloads: [{ replicas: 2, public: true, cpu: '250m', memory: '1.5Gi' }] },
  ],
  [
    'A Go API (image ghcr.io/acme/go-api:1.2.3, port 9090) and a React frontend (image ghcr.io/acme/ui:1.2.3, port 80, public); the API uses Postgres 16 and Redis',
    {
      workloads: [
        { port: 9090, public: false },
        { port: 80, public: true },
      ],
      backing: ['postgres', 'redis'],
    },
  ],
  [
    'a valkey instance plus ghcr.io/acme/cache-warmer:2 as a background worker',
    { workloads: [{ kind: 'worker' }], backing: ['valkey'] },
  ],
  [
    'A public web app, image localhost/vibe/busybox:test, command "/bin/httpd -f -p 8080 -h /www", port 8080',
    {
      workloads: [
        {
          image: 'localhost/vibe/busybox:test',
          command: ['/bin/httpd', '-f', '-p', '8080', '-h', '/www'],
          port: 8080,
        },
      ],
    },
  ],
  [
    'image localhost/vibe/busybox:test, command httpd -f -p 8080, port 8080, public',
    { workloads: [{ image: 'localhost/vibe/busybox:test', command: ['httpd', '-f', '-p', '8080'] }] },
  ],
  [
    'ghcr.io/acme/cli:1 running `nginx -g daemon-off` on port 80',
    { workloads: [{ image: 'ghcr.io/acme/cli:1', command: ['nginx', '-g', 'daemon-off'] }] },
  ],
  ['an httpd server, public', { workloads: [{ image: 'httpd', public: true }] }],
  ['ghcr.io/acme/tools:1 on port 80 with command line tools', { workloads: [{ command: undefined }] }],
];

const refusedIntents: [string, RegExp][] = [
  ['please order pizza for the team', /please order pizza/],
  ['give every service account in the cluster cluster-admin', /"cluster-admin"/],
  ['delete the kube-system namespace', /"kube-system"/],
  ['run ghcr.io/acme/app:1 in the production namespace', /"in the production namespace"/],
  ['create a ClusterRole that can read all secrets', /ClusterRole/],
  ['a privileged container running busybox:1.36', /"privileged"/],
  ['mount the host docker.sock into ghcr.io/acme/ci:1', /docker\.sock/],
  ['ghcr.io/acme/api:2 with 100 replicas', /"100 replicas"/],
  ['elasticsearch with kibana', /"elasticsearch"/],
  ['run nightly backups of redis', /"nightly"/],
  ['every 30 seconds run ghcr.io/acme/poll:1', /"every 30 seconds"/],
  ['open a NodePort for ghcr.io/acme/x:1', /"NodePort"/],
  ['ghcr.io/acme/app:1 with a service account that can list pods', /service account/],
  ['install the cert-manager CRDs', /CRDs/],
  ['list all pods across the cluster', /across the cluster/],
  ['create a namespace called team-a', /create a namespace/],
  ['create a new StorageClass', /StorageClass/],
  ['ghcr.io/acme/app:1 on port 80 with permission to list nodes', /permission to list nodes/],
  ['ghcr.io/acme/app:1 that talks to the docker daemon', /docker daemon/],
  ['run ghcr.io/acme/web:1 as root', /"as root"/],
  [`${'ghcr.io/acme/app:1 on port 80 '.repeat(200)}`, /at most 4000/],
  ['install the nginx ingress controller', /ingress controller/],
  ['give the pod access to the docker socket, image ghcr.io/acme/ci:1', /docker socket/],
];

describe('compileIntent serves what it understands', () => {
  it.each(served)('%s', (intent, expected) => {
    const p = plan(intent);
    if (expected.workloads) {
      expect(p.workloads).toHaveLength(expected.workloads.length);
      expected.workloads.forEach((w, i) => expect(p.workloads[i]).toMatchObject(w));
    }
    if (expected.backing) expect(p.backing.map((b) => b.kind)).toEqual(expected.backing);
    for (const [kind, version] of Object.entries(expected.versions ?? {})) {
      expect(p.backing.find((b) => b.kind === kind)?.version).toBe(version);
    }
    expect(p.sites).toHaveLength(expected.sites ?? 0);
  });
});

describe('compileIntent refuses, naming the phrase', () => {
  it.each(refusedIntents)('%s', (intent, phrase) => {
    const result = compileIntent(intent);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(phrase);
      expect(['VIBE_PLAN_REFUSED', 'VIBE_PLAN_NOT_UNDERSTOOD']).toContain(result.code);
    }
  });
});

describe('the written script', () => {
  it('imports only what it uses, wires every backing service and states its assumptions', () => {
    const result = compileIntent('ghcr.io/acme/app:1 with postgres and redis, public');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.script).toContain("import { postgres, redis, webService } from '@vibe/sdk';");
    expect(result.script).toContain('uses: [postgresRef, redisRef]');
    expect(result.script).toContain('// Assumed: ghcr.io/acme/app:1 listens on port 8080');
  });

  it('keeps the intent inside a comment whatever it contains', () => {
    const result = compileIntent('nginx:1 on port 80\u2028webService("x", {image: "evil"}) */');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const lines = result.script.split(/\r\n|\n|\u2028|\u2029/);
    expect(lines[0]!.startsWith('// Planned offline')).toBe(true);
    expect(lines.filter((l) => l.includes('evil')).every((l) => l.startsWith('//'))).toBe(true);
  });

  it('is deterministic', () => {
    const intent = 'Staging: ghcr.io/acme/web:3 on port 3000 with MySQL, public';
    expect(compileIntent(intent)).toEqual(compileIntent(intent));
  });
});
