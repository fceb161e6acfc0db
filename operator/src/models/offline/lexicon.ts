/** Words the offline planner understands: numbers, building-block synonyms, workload roles. */

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  single: 1,
  two: 2,
  couple: 2,
  pair: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
};

export const NUMBER_WORD_PATTERN = Object.keys(NUMBER_WORDS).join('|');

/** "3", "three", "a couple of" and "a pair of" as a count; undefined when it is not one. */
export function countOf(word: string): number | undefined {
  const w = word
    .toLowerCase()
    .replace(/^an?\s+(?=couple|pair|single)/, '')
    .replace(/\s+of$/, '');
  if (/^\d+$/.test(w)) return Number(w);
  return NUMBER_WORDS[w];
}

export type BackingKind =
  | 'postgres'
  | 'mysql'
  | 'mariadb'
  | 'mongodb'
  | 'redis'
  | 'valkey'
  | 'memcached'
  | 'rabbitmq'
  | 'kafka'
  | 'nats'
  | 'objectStore';

/**
 * Each building block by its common names. Order matters where names overlap: generic phrases
 * ("a database", "a cache") come last and only apply when no specific engine is named.
 */
export const BACKING_SYNONYMS: readonly { kind: BackingKind; pattern: RegExp }[] = [
  { kind: 'postgres', pattern: /\b(?:postgres(?:ql)?|pg(?:sql)?|postgis)\b/i },
  { kind: 'mariadb', pattern: /\bmaria\s?db\b/i },
  { kind: 'mysql', pattern: /\bmysql\b/i },
  { kind: 'mongodb', pattern: /\bmongo(?:\s?db)?\b/i },
  { kind: 'valkey', pattern: /\bvalkey\b/i },
  { kind: 'redis', pattern: /\bredis\b/i },
  { kind: 'memcached', pattern: /\bmemcache[d]?\b/i },
  { kind: 'rabbitmq', pattern: /\brabbit\s?(?:mq)?\b|\bamqp\b/i },
  { kind: 'kafka', pattern: /\bkafka\b|\bredpanda\b/i },
  { kind: 'nats', pattern: /\bnats\b|\bjetstream\b/i },
  {
    kind: 'objectStore',
    pattern: /\bobject[\s-]?(?:store|storage)\b|\bs3\b|\bminio\b|\bblob\s+(?:store|storage)\b|\bbuckets?\b/i,
  },
];

/** Generic asks and the engine chosen for them, stated as an assumption in the plan. */
export const GENERIC_BACKING: readonly { kind: BackingKind; pattern: RegExp; phrase: string }[] = [
  {
    kind: 'postgres',
    pattern: /\b(?:sql\s+|relational\s+)?database\b|\b(?:a|an|the)\s+db\b/i,
    phrase: 'a database',
  },
  {
    kind: 'redis',
    pattern: /\b(?:a|an|some)\s+(?:in-memory\s+|key-value\s+)?(?:cache|key-value store)\b/i,
    phrase: 'a cache',
  },
  {
    kind: 'rabbitmq',
    pattern: /\b(?:a|an)\s+(?:message\s+|job\s+|task\s+)?(?:queue|broker|bus)\b/i,
    phrase: 'a message queue',
  },
];

/** Image repository names that are the blocks themselves ("postgres:16" means the postgres block). */
export const ENGINE_IMAGES: Record<string, BackingKind> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  mongo: 'mongodb',
  mongodb: 'mongodb',
  redis: 'redis',
  valkey: 'valkey',
  memcached: 'memcached',
  rabbitmq: 'rabbitmq',
  kafka: 'kafka',
  nats: 'nats',
  minio: 'objectStore',
};

/** Where each building block listens, for an image of it the user names from another registry. */
export const ENGINE_PORTS: Record<BackingKind, number> = {
  postgres: 5432,
  mysql: 3306,
  mariadb: 3306,
  mongodb: 27017,
  redis: 6379,
  valkey: 6379,
  memcached: 11211,
  rabbitmq: 5672,
  kafka: 9092,
  nats: 4222,
  objectStore: 9000,
};

/** Role words that say a workload takes no inbound traffic. */
export const WORKER_ROLES =
  /\b(?:workers?|consumers?|publishers?|producers?|subscribers?|processors?|daemons?|background|pollers?|bots?|indexers?|crawlers?|ingesters?|sidecars?)\b/i;

/** Role words that say a workload serves requests. */
export const WEB_ROLES =
  /\b(?:web|api|apis|frontend|front-end|backend|back-end|server|service|site|website|app|application|http|ui|dashboard|gateway|proxy|endpoint)\b/i;

/**
 * Well-known images by bare name: the reference each name means and the port it listens on
 * (undefined: no inbound traffic). "run grafana" names an image even without a registry or tag.
 */
export const KNOWN_IMAGES: Record<string, { readonly image: string; readonly port?: number }> = {
  nginx: { image: 'nginx', port: 80 },
  httpd: { image: 'httpd', port: 80 },
  caddy: { image: 'caddy', port: 80 },
  traefik: { image: 'traefik', port: 80 },
  haproxy: { image: 'haproxy', port: 80 },
  whoami: { image: 'traefik/whoami', port: 80 },
  'nginx-unprivileged': { image: 'nginxinc/nginx-unprivileged', port: 8080 },
  tomcat: { image: 'tomcat', port: 8080 },
  jetty: { image: 'jetty', port: 8080 },
  adminer: { image: 'adminer', port: 8080 },
  'hello-app': { image: 'gcr.io/google-samples/hello-app:1.0', port: 8080 },
  grafana: { image: 'grafana/grafana', port: 3000 },
  gitea: { image: 'gitea/gitea', port: 3000 },
  metabase: { image: 'metabase/metabase', port: 3000 },
  redmine: { image: 'redmine', port: 3000 },
  'uptime-kuma': { image: 'louislam/uptime-kuma', port: 3001 },
  wordpress: { image: 'wordpress', port: 80 },
  drupal: { image: 'drupal', port: 80 },
  nextcloud: { image: 'nextcloud', port: 80 },
  phpmyadmin: { image: 'phpmyadmin', port: 80 },
  httpbin: { image: 'kennethreitz/httpbin', port: 80 },
  ghost: { image: 'ghost', port: 2368 },
  mailhog: { image: 'mailhog/mailhog', port: 8025 },
  mailpit: { image: 'axllent/mailpit', port: 8025 },
  podinfo: { image: 'ghcr.io/stefanprodan/podinfo', port: 9898 },
  'http-echo': { image: 'hashicorp/http-echo', port: 5678 },
  n8n: { image: 'n8nio/n8n', port: 5678 },
  busybox: { image: 'busybox' },
};
