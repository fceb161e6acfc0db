/**
 * The environment SDK's building blocks, defined once. The same zod schemas validate a script's calls
 * inside the sandbox, generate the `.d.ts` the model writes against and the JSON-schema tool definitions.
 * Descriptions are written for the model: they become doc comments and tool descriptions.
 */
import { z } from 'zod';

export const Name = z
  .string()
  .regex(
    /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/,
    'a lowercase DNS label: a-z, 0-9 and "-", starting with a letter',
  )
  .describe('Object name, unique in the environment; also the in-cluster host name of its Service.');

const Image = z
  .string()
  .min(1)
  .regex(/^[a-z0-9][\w.\-/:@]*$/i, 'an image reference such as ghcr.io/acme/app:1.2')
  .describe('Container image reference with registry and tag, e.g. "ghcr.io/acme/api:1.4".');

const Cpu = z
  .string()
  .regex(/^(\d+m|\d+(\.\d+)?)$/, 'a CPU quantity such as "250m" or "0.5"')
  .describe('CPU per replica as a Kubernetes quantity: "250m", "0.5", "2". Used as request and limit.');

const Memory = z
  .string()
  .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'a memory quantity such as "512Mi" or "1Gi"')
  .describe('Memory per replica as a Kubernetes quantity: "256Mi", "1Gi". Used as request and limit.');

export const Resources = z
  .object({ cpu: Cpu.optional(), memory: Memory.optional() })
  .strict()
  .describe('Compute per replica. Omitted values get safe defaults (100m-500m CPU, 128Mi-256Mi memory).');

const Env = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'an environment variable name'), z.string())
  .describe('Plain environment variables, name to value.');

const Uses = z
  .array(z.union([z.string(), z.object({ name: z.string() })]))
  .describe(
    'Backing services this workload connects to (their names or the values their blocks returned). ' +
      'Each one adds its connection settings (host, port, user, password, URL) as environment variables.',
  );

const Command = z.array(z.string()).describe('Overrides the image entrypoint.');
const Args = z.array(z.string()).describe('Arguments passed to the entrypoint.');
const Port = z.number().int().min(1).max(65535);
const User = z.number().int().min(1).describe('Numeric user id the containers run as (never root).');

export const WebServiceSpec = z
  .object({
    image: Image,
    port: Port.default(8080).describe('Port the container listens on; the Service exposes the same port.'),
    replicas: z.number().int().min(1).max(20).default(1),
    env: Env.optional(),
    command: Command.optional(),
    args: Args.optional(),
    resources: Resources.optional(),
    healthPath: z
      .string()
      .regex(/^\//)
      .optional()
      .describe('HTTP path for readiness and liveness probes; without it the probes check the TCP port.'),
    public: z
      .boolean()
      .default(false)
      .describe('true exposes the service on the environment preview URL through an Ingress.'),
    uses: Uses.optional(),
    user: User.optional(),
  })
  .strict()
  .describe('A long-running HTTP or TCP service: a Deployment, a Service and, when public, an Ingress.');

export const WorkerSpec = z
  .object({
    image: Image,
    replicas: z.number().int().min(1).max(20).default(1),
    env: Env.optional(),
    command: Command.optional(),
    args: Args.optional(),
    resources: Resources.optional(),
    uses: Uses.optional(),
    user: User.optional(),
  })
  .strict()
  .describe('A background process with no inbound traffic (queue consumer, publisher): a Deployment only.');

export const CronJobSpec = z
  .object({
    schedule: z
      .string()
      .regex(/^\S+ \S+ \S+ \S+ \S+$/, 'five cron fields: minute hour day-of-month month day-of-week')
      .describe('Standard five-field cron schedule in UTC, e.g. "30 2 * * *" for 02:30 every night.'),
    image: Image,
    command: Command.optional(),
    args: Args.optional(),
    env: Env.optional(),
    resources: Resources.optional(),
    uses: Uses.optional(),
    user: User.optional(),
  })
  .strict()
  .describe('A job run on a schedule: a CronJob that never runs two copies at once.');

export const StaticSiteSpec = z
  .object({
    files: z
      .record(z.string().regex(/^[\w.-]+$/, 'a flat file name such as index.html'), z.string())
      .describe('Files served from the site root, file name to content.'),
    public: z.boolean().default(true),
  })
  .strict()
  .describe('A static web site served by an unprivileged nginx from a ConfigMap.');

export const DatabaseSpec = z
  .object({
    version: z
      .string()
      .regex(/^[\w.-]+$/)
      .optional()
      .describe('Major version or image tag, e.g. "16".'),
    database: z.string().regex(/^\w+$/).default('app').describe('Name of the database created at start.'),
    user: z.string().regex(/^\w+$/).default('app').describe('Name of the application user.'),
    resources: Resources.optional(),
  })
  .strict()
  .describe('A single-instance database with ephemeral storage; credentials go to a Secret.');

export const BackingSpec = z
  .object({
    version: z
      .string()
      .regex(/^[\w.-]+$/)
      .optional()
      .describe('Version or image tag.'),
    resources: Resources.optional(),
  })
  .strict()
  .describe('A single-instance backing service with ephemeral storage.');

export const ObjectStoreSpec = z
  .object({
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
      .default('app'),
    resources: Resources.optional(),
  })
  .strict()
  .describe('An S3-compatible object store (MinIO) with ephemeral storage; credentials go to a Secret.');

export const ApiObjectSpec = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z
      .object({
        name: Name,
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
  })
  .catchall(z.unknown())
  .describe('Any other namespaced Kubernetes object, written out in full. The policy gate still applies.');

/** What a block returns: enough for another block (or a later statement) to refer to it. */
export interface Ref {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export const refTypeText = `/** What a block returns: pass it (or its name) in another block's \`uses\`. */
export interface Ref {
  /** Name given to the block. */
  readonly name: string;
  /** In-cluster DNS name of its Service. */
  readonly host: string;
  /** Its main port (0 for blocks without a Service). */
  readonly port: number;
}`;

export interface BlockDefinition {
  readonly summary: string;
  readonly spec: z.ZodType;
  /** Name of the spec type in the generated `.d.ts`. */
  readonly specType: string;
  /** Whether `spec` may be omitted (every field has a default). */
  readonly specOptional: boolean;
}

const database = (engine: string): BlockDefinition => ({
  summary: `A ${engine} database. Connected workloads get its URL, host, port, user, password and database name.`,
  spec: DatabaseSpec,
  specType: 'DatabaseSpec',
  specOptional: true,
});
const backing = (summary: string): BlockDefinition => ({
  summary,
  spec: BackingSpec,
  specType: 'BackingSpec',
  specOptional: true,
});

export const blocks = {
  webService: {
    summary: WebServiceSpec.description!,
    spec: WebServiceSpec,
    specType: 'WebServiceSpec',
    specOptional: false,
  },
  worker: { summary: WorkerSpec.description!, spec: WorkerSpec, specType: 'WorkerSpec', specOptional: false },
  cronJob: {
    summary: CronJobSpec.description!,
    spec: CronJobSpec,
    specType: 'CronJobSpec',
    specOptional: false,
  },
  staticSite: {
    summary: StaticSiteSpec.description!,
    spec: StaticSiteSpec,
    specType: 'StaticSiteSpec',
    specOptional: false,
  },
  postgres: database('PostgreSQL'),
  mysql: database('MySQL'),
  mariadb: database('MariaDB'),
  mongodb: database('MongoDB'),
  redis: backing('A Redis cache. Connected workloads get REDIS_URL, REDIS_HOST and REDIS_PORT.'),
  valkey: backing(
    'A Valkey cache (Redis-compatible). Connected workloads get REDIS_URL, REDIS_HOST and REDIS_PORT.',
  ),
  memcached: backing('A memcached cache. Connected workloads get MEMCACHED_HOST and MEMCACHED_PORT.'),
  rabbitmq: backing('A RabbitMQ broker. Connected workloads get AMQP_URL and RABBITMQ_* settings.'),
  kafka: backing('A single-node Kafka broker (KRaft). Connected workloads get KAFKA_BOOTSTRAP_SERVERS.'),
  nats: backing('A NATS server. Connected workloads get NATS_URL.'),
  objectStore: {
    summary: ObjectStoreSpec.description!,
    spec: ObjectStoreSpec,
    specType: 'ObjectStoreSpec',
    specOptional: true,
  },
} satisfies Record<string, BlockDefinition>;

export type BlockName = keyof typeof blocks;
