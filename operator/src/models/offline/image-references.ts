import { commandSpans } from './attributes.js';
import { KNOWN_IMAGES } from './lexicon.js';

/**
 * Finds container image references in free text: "ghcr.io/acme/api:1.2", "nginx:1.27",
 * "registry.example.com:5000/team/app@sha256:...", or a bare name right after "image".
 */

export interface ImageMention {
  readonly image: string;
  /** Repository's last path element without tag: "orders-api". */
  readonly basename: string;
  readonly tag?: string;
  readonly start: number;
  readonly end: number;
}

const CANDIDATE =
  /(?<![\w./:@=-])((?:[a-z0-9][a-z0-9.-]*(?::\d{2,5})?\/)?[a-z0-9][a-z0-9._-]*(?:\/[a-z0-9][a-z0-9._-]*)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@sha256:[a-f0-9]{64})?/gi;

const IMAGE_CUE = /\b(?:image|container|img)s?\s*[:=]?\s*$/i;
const VERB_CUE = /\b(?:run|runs|running|deploy|deploying|start|launch|host|using|use|from|of)\s+$/i;
const KNOWN_NAME = new RegExp(
  String.raw`(?<![\w./:@-])(${Object.keys(KNOWN_IMAGES).join('|')})(?![\w./:@-])`,
  'gi',
);

/** Whether a candidate is an image on its own, without an "image" cue before it. */
function strong(repository: string, tag: string | undefined, digest: string | undefined): boolean {
  const parts = repository.split('/');
  if (!/[a-z]/.test(parts[parts.length - 1]!)) return false;
  if (digest) return true;
  if (tag !== undefined) {
    // "api:8080" and "localhost:8080" are host:port, not image:tag.
    const hostAndPort = /^\d{3,5}$/.test(tag) && parts.length === 1;
    return !hostAndPort;
  }
  const first = parts[0]!;
  return parts.length > 1 && (first.includes('.') || first === 'localhost' || /:\d+$/.test(first));
}

export function findImages(text: string): ImageMention[] {
  const found: ImageMention[] = [];
  const commands = commandSpans(text);
  const inCommand = (start: number, end: number) => commands.some((c) => start < c.end && end > c.start);
  for (const match of text.matchAll(CANDIDATE)) {
    let [whole, repository = '', tag] = match;
    const digest = match[3];
    const start = match.index;
    // A sentence's final period is not part of the tag ("... ghcr.io/acme/web:3.0.").
    while (whole.endsWith('.') || whole.endsWith('-')) {
      whole = whole.slice(0, -1);
      if (tag) tag = tag.slice(0, -1);
      else repository = repository.slice(0, -1);
    }
    if (!repository || repository !== repository.toLowerCase()) continue;
    const before = text.slice(Math.max(0, start - 20), start);
    const cued = IMAGE_CUE.test(before);
    const slashy =
      repository.includes('/') &&
      (cued || VERB_CUE.test(before)) &&
      /^[a-z0-9-]+\/[a-z0-9._-]+$/.test(repository);
    if (!strong(repository, tag, digest) && !slashy && !(cued && /^[a-z][a-z0-9._-]+$/.test(repository)))
      continue;
    const parts = repository.split('/');
    found.push({
      image: whole,
      basename: parts[parts.length - 1]!,
      tag: tag || undefined,
      start,
      end: start + whole.length,
    });
  }
  for (const match of text.matchAll(KNOWN_NAME)) {
    const start = match.index;
    const end = start + match[0].length;
    if (found.some((f) => start < f.end && end > f.start) || inCommand(start, end)) continue;
    const name = match[0].toLowerCase();
    found.push({ image: KNOWN_IMAGES[name]!.image, basename: name, start, end });
  }
  return found.sort((a, b) => a.start - b.start);
}
