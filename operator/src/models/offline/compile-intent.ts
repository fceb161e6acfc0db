/**
 * The offline planner: reads a natural-language intent and writes the `@vibe/sdk` program a model
 * would write, with no network and no key. It parses the intent into parts (images and the clause
 * each one owns, building blocks, schedules, exposure) rather than matching whole sentences, states
 * every default it picks, and refuses with the phrase at fault when it cannot serve an ask.
 */
import {
  readCommand,
  readCpu,
  readEnv,
  readHealthPath,
  readMemory,
  readPort,
  readReplicas,
} from './attributes.js';
import { findExposure, type ExposureMention } from './exposure.js';
import { findImages, type ImageMention } from './image-references.js';
import {
  BACKING_SYNONYMS,
  ENGINE_IMAGES,
  ENGINE_PORTS,
  GENERIC_BACKING,
  KNOWN_IMAGES,
  WEB_ROLES,
  WORKER_ROLES,
  type BackingKind,
} from './lexicon.js';
import type { BackingPlan, EnvironmentPlan, StaticSitePlan, WorkloadPlan } from './plan.js';
import { findRefusal } from './refusals.js';
import { readSchedule } from './schedule.js';
import { writeScript } from './script-writer.js';

export type CompileResult =
  | { readonly ok: true; readonly script: string; readonly plan: EnvironmentPlan }
  | {
      readonly ok: false;
      readonly code: 'VIBE_PLAN_REFUSED' | 'VIBE_PLAN_NOT_UNDERSTOOD';
      readonly phrase: string;
      readonly message: string;
    };

const MAX_REPLICAS = 20;
const DEFAULT_PORT = 8080;
const SEPARATOR =
  /[,;()\n]|[.:](?=\s|$)|\b(?:and|plus|with|also|alongside|as\s+well\s+as|next\s+to|then)\b/gi;
const NEGATION =
  /\b(?:no|not|without|don['’]?t\s+(?:need|want)|never|except)\s+(?:an?\s+|any\s+)?(?:\w+\s+)?$/i;

const UNSUPPORTED =
  /\b(elastic\s*search|opensearch|cassandra|scylla(?:db)?|clickhouse|cockroach(?:db)?|couch(?:db|base)|neo4j|influx(?:db)?|etcd|zookeeper|consul|vault|pulsar|activemq|mosquitto|mqtt\s+broker|solr|dynamodb|sql\s*server|mssql|oracle\s+(?:db|database)|timescale(?:db)?|prometheus|jaeger|loki|kibana|logstash|fluentd|zipkin|meilisearch|typesense|qdrant|weaviate|milvus)\b/i;

const ROLE_NAME =
  /\b(frontend|backend|api|web|ui|dashboard|gateway|proxy|worker|consumer|publisher|producer|subscriber|processor|scheduler|indexer|crawler|mailer|bot|etl|admin)\b[\s\w(:-]{0,24}$/i;

type Refusal = Extract<CompileResult, { ok: false }>;

const refused = (phrase: string, message: string): Refusal => ({
  ok: false,
  code: 'VIBE_PLAN_REFUSED',
  phrase,
  message,
});

const notUnderstood = (phrase: string, message: string): Refusal => ({
  ok: false,
  code: 'VIBE_PLAN_NOT_UNDERSTOOD',
  phrase,
  message,
});

function blank(text: string, spans: [number, number][]): string {
  let out = text;
  for (const [start, end] of spans) out = out.slice(0, start) + ' '.repeat(end - start) + out.slice(end);
  return out;
}

function separatorsIn(text: string): { start: number; end: number }[] {
  return [...text.matchAll(SEPARATOR)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function isEngineImage(mention: ImageMention): BackingKind | undefined {
  const repository = mention.image.split(/[:@]/)[0]!;
  const official = !repository.includes('/') || /^(?:docker\.io\/)?(?:library\/)?[a-z]+$/.test(repository);
  return official ? ENGINE_IMAGES[mention.basename] : undefined;
}

interface Mention {
  readonly kind: BackingKind;
  readonly start: number;
  readonly end: number;
  readonly version?: string;
}

function findBacking(
  text: string,
  engineImages: { kind: BackingKind; mention: ImageMention }[],
  /** Blocks already served by an image the user named (e.g. bitnami/redis). */
  served: BackingKind[],
): Mention[] {
  const found: Mention[] = engineImages.map(({ kind, mention }) => ({
    kind,
    start: mention.start,
    end: mention.end,
    version: mention.tag,
  }));
  for (const { kind, pattern } of BACKING_SYNONYMS) {
    for (const m of text.matchAll(new RegExp(pattern.source, 'gi'))) {
      if (NEGATION.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
      const end = m.index + m[0].length;
      const version =
        /^\s*(?:version\s+|v)?(\d+(?:\.\d+){0,2})\b(?!\s*(?:replicas?|instances?|copies|pods|nodes|brokers|mi|gi|mb|gb|%))/i.exec(
          text.slice(end),
        );
      found.push({ kind, start: m.index, end, version: version?.[1] });
    }
  }
  const classes: Record<string, BackingKind[]> = {
    postgres: ['postgres', 'mysql', 'mariadb', 'mongodb'],
    redis: ['redis', 'valkey', 'memcached'],
    rabbitmq: ['rabbitmq', 'kafka', 'nats'],
  };
  for (const { kind, pattern } of GENERIC_BACKING) {
    if ([...found.map((f) => f.kind), ...served].some((k) => classes[kind]!.includes(k))) continue;
    const m = new RegExp(pattern.source, 'i').exec(text);
    if (m && !NEGATION.test(text.slice(Math.max(0, m.index - 24), m.index))) {
      found.push({ kind, start: m.index, end: m.index + m[0].length });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function dnsName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return name || 'app';
}

function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted.slice(0, 37)}-${i}`;
  taken.add(name);
  return name;
}

function workloadName(span: string, mention: ImageMention): string {
  const named = /\b(?:called|named)\s+["'`]?([a-z][a-z0-9-]*)/i.exec(span);
  if (named) return dnsName(named[1]!);
  const role = ROLE_NAME.exec(span.slice(0, Math.max(0, mention.start)));
  return dnsName(role ? role[1]! : mention.basename);
}

const BACKING_NAMES: Record<BackingKind, string> = {
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  mongodb: 'mongodb',
  redis: 'redis',
  valkey: 'valkey',
  memcached: 'memcached',
  rabbitmq: 'rabbitmq',
  kafka: 'kafka',
  nats: 'nats',
  objectStore: 'minio',
};

function staticSite(text: string): StaticSitePlan | undefined {
  const m = /\bstatic\s+(?:web\s*)?(?:site|website|page|html)\b|\blanding\s+page\b|\bhtml\s+page\b/i.exec(
    text,
  );
  if (!m) return undefined;
  const says =
    /\b(?:says?|saying|shows?|showing|displays?|displaying|with\s+the\s+text)\s+["“']([^"”']+)["”']/i.exec(
      text,
    ) ?? /["“]([^"”]+)["”]/.exec(text);
  const body = says ? says[1]! : 'Hello from vibe';
  const escaped = body.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
  return {
    name: 'site',
    files: { 'index.html': `<!doctype html>\n<title>${escaped}</title>\n<h1>${escaped}</h1>\n` },
    public: true,
  };
}

/** Longer intents are refused: a description, not a document, and a bound on the parser's work. */
const MAX_INTENT_CHARS = 4000;

export function compileIntent(intent: string): CompileResult {
  const text = intent.replace(/\s+/g, ' ').trim();
  if (text.length > MAX_INTENT_CHARS) {
    return notUnderstood(
      `${text.slice(0, 40)}...`,
      `cannot plan: the intent is ${text.length} characters long; describe the environment in at most ${MAX_INTENT_CHARS}.`,
    );
  }
  const refusal = findRefusal(text);
  if (refusal) return refused(refusal.phrase, refusal.message);

  const assumptions: string[] = [];
  const images = findImages(text);
  const engineImages = images.flatMap((m) => {
    const kind = isEngineImage(m);
    return kind ? [{ kind, mention: m }] : [];
  });
  const workloadImages = images.filter((m) => !isEngineImage(m));
  const { env: _, spans: envSpans } = readEnv(text);
  const masked = blank(text, [...images.map((m): [number, number] => [m.start, m.end]), ...envSpans]);

  const unsupported = UNSUPPORTED.exec(masked);
  if (unsupported) {
    return refused(
      unsupported[0],
      `refused: "${unsupported[0]}" is not a building block this planner knows; ` +
        'name its container image and port (e.g. "docker.io/library/name:1.0 on port 8080") to run it as a service.',
    );
  }

  const clauses = readClauses(text, masked, workloadImages, engineImages);
  const taken = new Set<string>();
  const backing: BackingPlan[] = [];
  for (const b of clauses.backingMentions) {
    if (backing.some((x) => x.kind === b.kind)) continue;
    backing.push({ kind: b.kind, name: '', version: b.version });
  }

  const workloads: WorkloadPlan[] = [];
  for (const [i, mention] of workloadImages.entries()) {
    const workload = planWorkload(clauses, mention, i, taken, assumptions);
    if ('ok' in workload) return workload;
    workloads.push(workload);
  }

  const namedBacking = backing.map((b) => ({ ...b, name: uniqueName(BACKING_NAMES[b.kind], taken) }));
  for (const b of clauses.backingMentions.filter((m) => GENERIC_BACKING.some((g) => g.kind === m.kind))) {
    const generic = GENERIC_BACKING.find(
      (g) => g.kind === b.kind && new RegExp(g.pattern.source, 'i').test(masked.slice(b.start, b.end)),
    );
    if (generic) assumptions.push(`"${generic.phrase}" is served by ${b.kind}`);
  }

  const sites: StaticSitePlan[] = [];
  const site = workloadImages.length === 0 ? staticSite(text) : undefined;
  if (site) {
    const said = clauses.globalExposure[clauses.globalExposure.length - 1];
    sites.push({ ...site, name: uniqueName(site.name, taken), public: said ? said.public : true });
  }

  const schedule = readSchedule(masked);
  if (schedule?.ok && !workloads.some((w) => w.kind === 'cronJob')) {
    return notUnderstood(
      schedule.phrase,
      `cannot plan: "${schedule.phrase}" asks for a scheduled job, but the intent names no container image for it to run (e.g. ghcr.io/acme/job:1.0).`,
    );
  }
  if (!workloads.length && !namedBacking.length && !sites.length) {
    const phrase = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    return notUnderstood(
      phrase,
      `cannot plan "${phrase}": it names no container image (such as ghcr.io/acme/app:1.0) and no building block ` +
        'this planner knows (web service, worker, cron job, static site, postgres, mysql, mariadb, mongodb, redis, ' +
        'valkey, memcached, rabbitmq, kafka, nats, object store).',
    );
  }

  const plan: EnvironmentPlan = { workloads, backing: namedBacking, sites, assumptions };
  return { ok: true, script: writeScript(intent, plan), plan };
}

/** The intent cut into the clause each workload image owns, and what is said outside them. */
interface Clauses {
  /** The intent, whitespace collapsed. */
  readonly text: string;
  /** The text with images and environment variables blanked out. */
  readonly masked: string;
  /** The masked text outside every workload clause and every backing service's clause. */
  readonly outside: string;
  /** [start, end) of each workload image's clause, in the order of the images. */
  readonly spans: [number, number][];
  readonly backingMentions: Mention[];
  readonly exposure: ExposureMention[];
  /** Exposure said of everything, or outside every workload's clause. */
  readonly globalExposure: ExposureMention[];
  readonly workloadImages: ImageMention[];
}

function readClauses(
  text: string,
  masked: string,
  workloadImages: ImageMention[],
  engineImages: { kind: BackingKind; mention: ImageMention }[],
): Clauses {
  const thirdPartyEngines = workloadImages.flatMap((m) => {
    const kind = ENGINE_IMAGES[m.basename];
    return kind ? [kind] : [];
  });
  const backingMentions = findBacking(masked, engineImages, thirdPartyEngines);
  const separators = separatorsIn(masked);
  const lastSeparatorIn = (from: number, to: number) =>
    separators.filter((s) => s.end <= to && s.start >= from).reduce((best, s) => Math.max(best, s.end), from);

  const begins = workloadImages.map((m, i) =>
    lastSeparatorIn(i === 0 ? 0 : workloadImages[i - 1]!.end, m.start),
  );
  const spans = workloadImages.map((m, i): [number, number] => {
    let end = i + 1 < workloadImages.length ? begins[i + 1]! : text.length;
    const backingAfter = backingMentions.find((b) => b.start >= m.end && b.start < end);
    if (backingAfter) {
      const cut = separators
        .filter((s) => s.start >= m.end && s.end <= backingAfter.start)
        .map((s) => s.start);
      end = cut.length ? Math.max(...cut) : backingAfter.start;
    }
    return [begins[i]!, end];
  });
  const spanOf = (position: number) => spanIndex(spans, position);

  // Clauses that describe a backing service ("redis on port 6380") must not lend their numbers to a workload.
  const backingClauses = backingMentions
    .filter((b) => spanOf(b.start) === -1)
    .map((b): [number, number] => {
      const next = separators.find((s) => s.start >= b.end);
      return [lastSeparatorIn(0, b.start), next ? next.start : text.length];
    });
  const outside = blank(
    blank(
      masked,
      spans.map(([s, e]) => [s, e]),
    ),
    backingClauses,
  );

  const exposure = findExposure(masked);
  const globalExposure = exposure.filter((x) => x.global || spanOf(x.start) === -1);
  return { text, masked, outside, spans, backingMentions, exposure, globalExposure, workloadImages };
}

/** The index of the span `position` falls in, or -1. */
function spanIndex(spans: [number, number][], position: number): number {
  return spans.findIndex(([s, e]) => position >= s && position < e);
}

/**
 * The workload of the i-th image, read from its own clause (and, when it is the only image, from
 * what is said outside every clause); a refusal when its clause asks for what cannot be served.
 */
function planWorkload(
  c: Clauses,
  mention: ImageMention,
  i: number,
  taken: Set<string>,
  assumptions: string[],
): WorkloadPlan | Refusal {
  const [start, end] = c.spans[i]!;
  const clause = c.masked.slice(start, end);
  const original = c.text.slice(start, end);
  const lone = c.workloadImages.length === 1;
  const read = <T>(reader: (t: string) => T | undefined): T | undefined =>
    reader(clause) ?? (lone ? reader(c.outside) : undefined);
  const schedule = readSchedule(clause) ?? (lone ? readSchedule(c.outside) : undefined);
  if (schedule && !schedule.ok) {
    return refused(schedule.phrase, `refused: "${schedule.phrase}" cannot be scheduled: ${schedule.reason}.`);
  }
  const replicas = read(readReplicas);
  if (replicas !== undefined && (replicas < 1 || replicas > MAX_REPLICAS)) {
    return refused(
      `${replicas} replicas`,
      `refused: "${replicas} replicas" is outside what an environment allows (1 to ${MAX_REPLICAS} per workload).`,
    );
  }
  const own = c.exposure.filter((x) => !x.global && spanIndex(c.spans, x.start) === i);
  const said = own.length ? own[own.length - 1] : c.globalExposure[c.globalExposure.length - 1];
  const isPublic = said?.public ?? false;
  const engine = ENGINE_IMAGES[mention.basename];
  let port = read(readPort) ?? (engine ? ENGINE_PORTS[engine] : undefined);
  const healthPath = read(readHealthPath);
  const kind = workloadKind(clause, mention, {
    scheduled: schedule !== undefined,
    served: port !== undefined || isPublic || Boolean(healthPath),
    assumptions,
  });
  if (kind === 'webService' && port === undefined) {
    port = KNOWN_IMAGES[mention.basename]?.port ?? DEFAULT_PORT;
    assumptions.push(`${mention.image} listens on port ${port} (the intent names no port)`);
  }
  const env = readEnv(original).env;
  return {
    kind,
    name: uniqueName(workloadName(clause, { ...mention, start: mention.start - start }), taken),
    image: mention.image,
    port: kind === 'webService' ? port : undefined,
    replicas,
    env: Object.keys(env).length || !lone ? env : readEnv(blank(c.text, c.spans)).env,
    cpu: read(readCpu),
    memory: read(readMemory),
    healthPath,
    command: read(readCommand),
    schedule: schedule?.ok ? schedule.cron : undefined,
    public: kind === 'webService' && isPublic,
  };
}

/**
 * What a workload runs as: a cron job when scheduled, a web service when something says it
 * serves (a port, exposure, a health path), else by the roles its clause or image name says.
 */
function workloadKind(
  clause: string,
  mention: ImageMention,
  o: { scheduled: boolean; served: boolean; assumptions: string[] },
): WorkloadPlan['kind'] {
  if (o.scheduled) return 'cronJob';
  if (o.served) return 'webService';
  if (WORKER_ROLES.test(clause)) return 'worker';
  if (WEB_ROLES.test(clause) || KNOWN_IMAGES[mention.basename]?.port !== undefined) return 'webService';
  if (WORKER_ROLES.test(mention.basename.replace(/[-_.]/g, ' '))) return 'worker';
  if (WEB_ROLES.test(mention.basename.replace(/[-_.]/g, ' '))) return 'webService';
  o.assumptions.push(`${mention.image} names no port and no role, so it runs as a worker without a Service`);
  return 'worker';
}
