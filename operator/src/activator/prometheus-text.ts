/** One sample of a metric in the Prometheus text exposition format: its labels and value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/**
 * The samples of one metric in a Prometheus text exposition (format 0.0.4): the lines naming
 * exactly `metric`, with their labels unescaped. Comments, other metrics and lines that do not
 * parse are skipped: the text comes from another program, and one odd line must not hide the rest.
 * (prom-client writes this format but has no reader of it.)
 */
export function samplesOf(text: string, metric: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || !line.startsWith(metric)) continue;
    const sample = parseLine(line);
    if (sample && sample.name === metric) samples.push({ labels: sample.labels, value: sample.value });
  }
  return samples;
}

function parseLine(
  line: string,
): { name: string; labels: Record<string, string>; value: number } | undefined {
  const name = NAME.exec(line)?.[0];
  if (!name) return undefined;
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest);
    if (!parsed) return undefined;
    Object.assign(labels, parsed.labels);
    rest = rest.slice(parsed.length);
  }
  if (!/^[ \t]/.test(rest)) return undefined;
  const value = parseValue(rest.trim().split(/[ \t]+/)[0] ?? '');
  return value === undefined ? undefined : { name, labels, value };
}

/** Parses `{a="x",b="y"}` at the start of `text`; the labels and how many characters they took. */
function parseLabels(text: string): { labels: Record<string, string>; length: number } | undefined {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, length: i + 1 };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name) return undefined;
    i += name.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=') return undefined;
    i++;
    while (text[i] === ' ') i++;
    if (text[i] !== '"') return undefined;
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return undefined;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    labels[name] = value;
    i++;
  }
}

function parseValue(token: string): number | undefined {
  if (token === '+Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  if (token === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(token)) return undefined;
  return Number(token);
}
