/**
 * How each backing service is run and how a client reaches it. Images are official, tags pinned to a
 * major version; each runs as its image's own non-root user with scratch volumes where it writes.
 */
import type { ResourceDefaults } from './pod-defaults.js';

export interface EngineSettings {
  readonly name: string;
  readonly password: string;
  readonly database: string;
  readonly user: string;
  readonly bucket: string;
}

export interface Engine {
  /** Image for a version ("16") or the default when none is given. */
  image(version: string | undefined): string;
  readonly port: number;
  readonly user: number;
  /** Some images rewrite their own configuration at start and cannot run with a read-only root. */
  readonly readOnlyRoot: boolean;
  readonly writable: readonly string[];
  readonly args?: readonly string[];
  readonly resources: ResourceDefaults;
  serverEnv(s: EngineSettings): Record<string, string>;
  clientEnv(s: EngineSettings): Record<string, string>;
}

/** Builds an image reference; a bare version gets the variant suffix, a full tag is used as given. */
const tagged =
  (repository: string, fallback: string, suffix = '') =>
  (version: string | undefined) => {
    const tag = version ?? fallback;
    return `${repository}:${tag}${tag.includes('-') ? '' : suffix}`;
  };

const DB: ResourceDefaults = { cpu: ['250m', '1'], memory: ['256Mi', '512Mi'] };
const CACHE: ResourceDefaults = { cpu: ['100m', '500m'], memory: ['64Mi', '256Mi'] };
const BROKER: ResourceDefaults = { cpu: ['250m', '1'], memory: ['512Mi', '1Gi'] };

const mysqlLike = (prefix: 'MYSQL' | 'MARIADB', scheme: string) => ({
  serverEnv: (s: EngineSettings) => ({
    [`${prefix}_ROOT_PASSWORD`]: s.password,
    [`${prefix}_DATABASE`]: s.database,
    [`${prefix}_USER`]: s.user,
    [`${prefix}_PASSWORD`]: s.password,
  }),
  clientEnv: (s: EngineSettings) => ({
    DATABASE_URL: `${scheme}://${s.user}:${s.password}@${s.name}:3306/${s.database}`,
    MYSQL_HOST: s.name,
    MYSQL_PORT: '3306',
    MYSQL_USER: s.user,
    MYSQL_PASSWORD: s.password,
    MYSQL_DATABASE: s.database,
  }),
});

const redisClient = (s: EngineSettings) => ({
  REDIS_URL: `redis://${s.name}:6379`,
  REDIS_HOST: s.name,
  REDIS_PORT: '6379',
});

export const engines = {
  postgres: {
    image: tagged('docker.io/library/postgres', '17', '-alpine'),
    port: 5432,
    user: 70,
    readOnlyRoot: true,
    writable: ['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp'],
    resources: DB,
    serverEnv: (s) => ({
      POSTGRES_USER: s.user,
      POSTGRES_PASSWORD: s.password,
      POSTGRES_DB: s.database,
      PGDATA: '/var/lib/postgresql/data/pgdata',
    }),
    clientEnv: (s) => ({
      DATABASE_URL: `postgres://${s.user}:${s.password}@${s.name}:5432/${s.database}`,
      PGHOST: s.name,
      PGPORT: '5432',
      PGUSER: s.user,
      PGPASSWORD: s.password,
      PGDATABASE: s.database,
    }),
  },
  mysql: {
    image: tagged('docker.io/library/mysql', '8.4'),
    port: 3306,
    user: 999,
    readOnlyRoot: true,
    writable: ['/var/lib/mysql', '/var/run/mysqld', '/tmp'],
    resources: DB,
    ...mysqlLike('MYSQL', 'mysql'),
  },
  mariadb: {
    image: tagged('docker.io/library/mariadb', '11'),
    port: 3306,
    user: 999,
    readOnlyRoot: true,
    writable: ['/var/lib/mysql', '/run/mysqld', '/tmp'],
    resources: DB,
    ...mysqlLike('MARIADB', 'mysql'),
  },
  mongodb: {
    image: tagged('docker.io/library/mongo', '7'),
    port: 27017,
    user: 999,
    readOnlyRoot: true,
    writable: ['/data/db', '/data/configdb', '/tmp'],
    resources: DB,
    serverEnv: (s) => ({ MONGO_INITDB_ROOT_USERNAME: s.user, MONGO_INITDB_ROOT_PASSWORD: s.password }),
    clientEnv: (s) => ({
      MONGODB_URI: `mongodb://${s.user}:${s.password}@${s.name}:27017/${s.database}?authSource=admin`,
      MONGO_HOST: s.name,
      MONGO_PORT: '27017',
    }),
  },
  redis: {
    image: tagged('docker.io/library/redis', '7', '-alpine'),
    port: 6379,
    user: 999,
    readOnlyRoot: true,
    writable: ['/data'],
    resources: CACHE,
    serverEnv: () => ({}),
    clientEnv: redisClient,
  },
  valkey: {
    image: tagged('docker.io/valkey/valkey', '8', '-alpine'),
    port: 6379,
    user: 999,
    readOnlyRoot: true,
    writable: ['/data'],
    resources: CACHE,
    serverEnv: () => ({}),
    clientEnv: redisClient,
  },
  memcached: {
    image: tagged('docker.io/library/memcached', '1.6', '-alpine'),
    port: 11211,
    user: 11211,
    readOnlyRoot: true,
    writable: [],
    resources: CACHE,
    serverEnv: () => ({}),
    clientEnv: (s) => ({
      MEMCACHED_HOST: s.name,
      MEMCACHED_PORT: '11211',
      MEMCACHED_SERVERS: `${s.name}:11211`,
    }),
  },
  rabbitmq: {
    image: tagged('docker.io/library/rabbitmq', '4', '-alpine'),
    port: 5672,
    user: 100,
    readOnlyRoot: false,
    writable: ['/var/lib/rabbitmq'],
    resources: BROKER,
    serverEnv: (s) => ({ RABBITMQ_DEFAULT_USER: s.user, RABBITMQ_DEFAULT_PASS: s.password }),
    clientEnv: (s) => ({
      AMQP_URL: `amqp://${s.user}:${s.password}@${s.name}:5672/`,
      RABBITMQ_HOST: s.name,
      RABBITMQ_PORT: '5672',
      RABBITMQ_USER: s.user,
      RABBITMQ_PASSWORD: s.password,
    }),
  },
  kafka: {
    image: tagged('docker.io/apache/kafka', '3.9.0'),
    port: 9092,
    user: 1000,
    readOnlyRoot: false,
    writable: ['/tmp'],
    resources: BROKER,
    serverEnv: (s) => ({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${s.name}:9092`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    }),
    clientEnv: (s) => ({ KAFKA_BOOTSTRAP_SERVERS: `${s.name}:9092`, KAFKA_BROKERS: `${s.name}:9092` }),
  },
  nats: {
    image: tagged('docker.io/library/nats', '2', '-alpine'),
    port: 4222,
    user: 1000,
    readOnlyRoot: true,
    writable: [],
    resources: CACHE,
    serverEnv: () => ({}),
    clientEnv: (s) => ({ NATS_URL: `nats://${s.name}:4222` }),
  },
  objectStore: {
    image: tagged('quay.io/minio/minio', 'RELEASE.2025-04-22T22-12-26Z'),
    port: 9000,
    user: 1000,
    readOnlyRoot: true,
    writable: ['/data', '/tmp'],
    args: ['server', '/data'],
    resources: DB,
    serverEnv: (s) => ({ MINIO_ROOT_USER: s.user, MINIO_ROOT_PASSWORD: s.password, HOME: '/tmp' }),
    clientEnv: (s) => ({
      S3_ENDPOINT: `http://${s.name}:9000`,
      S3_BUCKET: s.bucket,
      AWS_ACCESS_KEY_ID: s.user,
      AWS_SECRET_ACCESS_KEY: s.password,
      AWS_REGION: 'us-east-1',
    }),
  },
} satisfies Record<string, Engine>;

export type EngineName = keyof typeof engines;
