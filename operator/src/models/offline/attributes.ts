/**
 * Reads one workload's attributes from the words around it: port, replicas, environment variables,
 * CPU and memory, health path, command. Each reader returns undefined when the text does not say.
 */
import { countOf, NUMBER_WORD_PATTERN } from './lexicon.js';

const PORT_PATTERNS = [
  /\bports?\s*(?:number\s*)?[:=#]?\s*(\d{1,5})\b/i,
  /\b(?:listen(?:s|ing)?|serv(?:e|es|ing)|expos(?:e|es|ing)|bind(?:s|ing)?|answer(?:s|ing)?|respond(?:s|ing)?|accept(?:s|ing)?)\s+(?:\w+\s+){0,2}?(?:on|at)\s+(?:port\s+)?:?(\d{1,5})\b(?!\s*(?:replicas?|instances?|copies|pods|mi|gi|mb|gb|m\b|cpu|cores?|minutes?|hours?|seconds?))/i,
  /(?:^|[\s(,])(?:on|at)\s+:(\d{1,5})\b/i,
  /(?:^|[\s(,]):(\d{2,5})\b/,
  /\bon\s+(\d{2,5})\b(?!\s*(?:replicas?|instances?|copies|pods|mi|gi|mb|gb|m\b|cpus?|cores?|minutes?|hours?|seconds?|nodes?))/i,
  /\b(\d{2,5})\/(?:tcp|http)\b/i,
];

export function readPort(text: string): number | undefined {
  for (const pattern of PORT_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const port = Number(m[1]);
    if (port >= 1 && port <= 65535) return port;
  }
  return undefined;
}

const COUNT = String.raw`(\d+|(?:a\s+)?(?:couple|pair)(?:\s+of)?|${NUMBER_WORD_PATTERN})`;
/** A count after the noun ("replicas: 3"), where an article is never the number. */
const AFTER = String.raw`(\d+|${NUMBER_WORD_PATTERN.replace(/^a\|an\|/, '')})`;
// "replica count of 4" is read before "a replica" could count as one.
const REPLICA_PATTERNS = [
  new RegExp(String.raw`\breplicas?\s*(?:count\s*)?(?:of|:|=|to)?\s*${AFTER}\b`, 'i'),
  new RegExp(String.raw`\b${COUNT}\s*(?:x\s*)?(?:replicas?|instances?|copies|pods)\b`, 'i'),
  new RegExp(String.raw`\bscaled?\s+(?:it\s+|them\s+|out\s+|up\s+)*to\s+${AFTER}\b`, 'i'),
  /(?:^|\s)[x×](\d+)\b|\b(\d+)\s*[x×](?=\s|$)/i,
  // "three consumers running ...": a plural role counts its copies.
  new RegExp(
    String.raw`\b${AFTER}\s+(?:[a-z-]+\s+)?(?:workers|consumers|subscribers|publishers|producers|processors|listeners)\b`,
    'i',
  ),
];

export function readReplicas(text: string): number | undefined {
  for (const pattern of REPLICA_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const n = countOf((m[1] ?? m[2]!).trim());
    if (n !== undefined) return n;
  }
  return undefined;
}

const ENV_ASSIGN = /\b([A-Z_][A-Z0-9_]*)=("[^"]*"|'[^']*'|[^\s,;]+)/g;
const ENV_SET_TO =
  /\bset\s+([A-Z_][A-Z0-9_]*)\s+to\s+("[^"]*"|'[^']*'|[^\s,;]+)|\b([A-Z_][A-Z0-9_]*)\s+(?:set\s+to|=)\s+("[^"]*"|'[^']*'|[^\s,;]+)/g;

function unquote(value: string): string {
  if (/^(["']).*\1$/.test(value)) return value.slice(1, -1);
  return value.replace(/[.)]+$/, '');
}

/** Environment variables as `K=V`, `K set to V` or `set K to V`, with their positions in the text. */
export function readEnv(text: string): { env: Record<string, string>; spans: [number, number][] } {
  const env: Record<string, string> = {};
  const spans: [number, number][] = [];
  for (const pattern of [ENV_ASSIGN, ENV_SET_TO]) {
    for (const m of text.matchAll(pattern)) {
      const name = m[1] ?? m[3]!;
      const value = m[2] ?? m[4]!;
      if (name.length < 2 && pattern === ENV_SET_TO) continue;
      env[name] ??= unquote(value);
      spans.push([m.index, m.index + m[0].length]);
    }
  }
  return { env, spans };
}

const MEMORY =
  /\b(\d+(?:\.\d+)?)\s*(kib|mib|gib|tib|ki|mi|gi|ti|kb|mb|gb|tb|k|m|g|megabytes?|gigabytes?|megs?|gigs?)\b(?:\s+(?:of\s+)?(\w+))?/gi;
const MEMORY_UNITS: Record<string, string> = {
  k: 'Ki',
  ki: 'Ki',
  kib: 'Ki',
  kb: 'Ki',
  m: 'Mi',
  mi: 'Mi',
  mib: 'Mi',
  mb: 'Mi',
  meg: 'Mi',
  megs: 'Mi',
  megabyte: 'Mi',
  megabytes: 'Mi',
  g: 'Gi',
  gi: 'Gi',
  gib: 'Gi',
  gb: 'Gi',
  gig: 'Gi',
  gigs: 'Gi',
  gigabyte: 'Gi',
  gigabytes: 'Gi',
  t: 'Ti',
  ti: 'Ti',
  tib: 'Ti',
  tb: 'Ti',
};

/** Memory as a binary quantity ("512MB of RAM" -> "512Mi"); disk and storage sizes are not memory. */
export function readMemory(text: string): string | undefined {
  for (const m of text.matchAll(MEMORY)) {
    const unit = m[2]!.toLowerCase();
    const after = (m[3] ?? '').toLowerCase();
    const before = text.slice(Math.max(0, m.index - 24), m.index).toLowerCase();
    if (
      /disk|storage|volume|pvc|space/.test(after) ||
      /(disk|storage|volume|space)\s*(of|:)?\s*$/.test(before)
    )
      continue;
    // A bare "m" is millicores unless the words say memory.
    if (unit === 'm' && !/mem|ram/.test(after + before)) continue;
    if (unit === 'k' || unit === 'g' || unit === 't') {
      if (!/mem|ram/.test(after + before)) continue;
    }
    return `${m[1]}${MEMORY_UNITS[unit]}`;
  }
  return undefined;
}

const FRACTIONS: Record<string, number> = {
  'half a': 0.5,
  'a half': 0.5,
  half: 0.5,
  'a quarter': 0.25,
  'quarter of a': 0.25,
  quarter: 0.25,
  'a tenth of a': 0.1,
  'one and a half': 1.5,
  'a full': 1,
  'a whole': 1,
  a: 1,
  an: 1,
  one: 1,
  single: 1,
  two: 2,
  three: 3,
  four: 4,
  eight: 8,
};
const CPU_WORDS = Object.keys(FRACTIONS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const CPU_PATTERNS: { pattern: RegExp; millis: (m: RegExpExecArray) => number }[] = [
  {
    pattern: /\b(\d+)\s*(?:m|millicores?|millicpus?|milli-cpus?)\b(?:\s+(?:of\s+)?(?:v?cpus?|cores?))?/i,
    millis: (m) => Number(m[1]),
  },
  { pattern: /\b(\d+(?:\.\d+)?)\s*(?:full\s+)?(?:v?cpus?|cores?)\b/i, millis: (m) => Number(m[1]) * 1000 },
  {
    pattern: new RegExp(String.raw`\b(${CPU_WORDS})\s+(?:full\s+)?(?:v?cpus?|cores?)\b`, 'i'),
    millis: (m) => FRACTIONS[m[1]!.toLowerCase()]! * 1000,
  },
  {
    pattern: /\bcpus?\s*(?:limit|request)?\s*(?:of|:|=)?\s*(\d+(?:\.\d+)?)(m?)\b/i,
    millis: (m) => (m[2] ? Number(m[1]) : Number(m[1]) * 1000),
  },
];

/** CPU in millicores as a quantity string ("half a CPU" -> "500m"). */
export function readCpu(text: string): string | undefined {
  for (const { pattern, millis } of CPU_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const value = Math.round(millis(m));
    if (/\bm\b|millicore/i.test(m[0]) && !/cpu|core/i.test(text.slice(m.index, m.index + m[0].length + 12)))
      continue;
    if (value > 0) return `${value}m`;
  }
  return undefined;
}

export function readHealthPath(text: string): string | undefined {
  const m =
    /\b(?:health(?:\s*check)?|healthcheck|readiness|liveness|probe)\w*\s+(?:\w+\s+){0,2}?(\/[\w/.-]*)/i.exec(
      text,
    );
  return m?.[1];
}

const QUOTED_COMMAND =
  /\b(?:command|cmd|runs?|running|executes?|executing|entrypoint)\s*:?\s*[`"']([^`"']+)[`"']/gi;
// Unquoted, a command runs to the end of its clause: "command httpd -f -p 8080, port 8080".
const BARE_COMMAND = /\b(?:command|cmd|entrypoint)\s*:?\s*([^\s`"',;][^`"',;]*?)(?=[,;]|\.(?:\s|$)|$)/gi;

export interface CommandSpan {
  readonly words: string[];
  /** Where the command's own text starts and ends in the intent. */
  readonly start: number;
  readonly end: number;
}

/**
 * Every command the intent spells out: quoted or backticked after "command", "runs" or "executes",
 * or bare after "command" up to the end of its clause. The image finder skips these spans, so
 * "command `httpd -f`" names a program, not the httpd image.
 */
export function commandSpans(text: string): CommandSpan[] {
  const spans: CommandSpan[] = [];
  for (const pattern of [QUOTED_COMMAND, BARE_COMMAND]) {
    for (const m of text.matchAll(pattern)) {
      const body = m[1]!;
      if (pattern === BARE_COMMAND && !looksLikeProgram(body)) continue;
      const start = m.index + m[0].lastIndexOf(body);
      if (spans.some((s) => start < s.end && start + body.length > s.start)) continue;
      spans.push({ words: body.trim().split(/\s+/), start, end: start + body.length });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

// "command line tools" is prose; "command httpd -f" and "command /app/serve" are programs.
function looksLikeProgram(body: string): boolean {
  const words = body.trim().split(/\s+/);
  return /^\.?\//.test(words[0]!) || words.slice(1).some((w) => w.startsWith('-'));
}

/** The first command the intent spells out. */
export function readCommand(text: string): string[] | undefined {
  return commandSpans(text)[0]?.words;
}
