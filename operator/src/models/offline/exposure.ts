/**
 * Finds the words that say whether something is reachable from outside: "public", "preview url",
 * "reachable from the internet" against "internal", "private", "nothing exposed". Private phrases are
 * read first because most of them contain a public word ("no public access").
 */

export interface ExposureMention {
  readonly public: boolean;
  readonly start: number;
  readonly end: number;
  /** Says it of everything ("make them all public") rather than of one workload. */
  readonly global: boolean;
}

const PRIVATE = [
  /\b(?:nobody|no\s*one|none|nothing)\s+(?:\w+\s+){0,3}?(?:outside|external|from\s+the\s+internet)\b[\w\s-]*?(?:reach|access|see|call|connect)\w*/gi,
  /\bnot\s+(?:be\s+)?(?:publicly\s+)?(?:public|exposed|reachable|accessible|available|visible)\b(?:\s+(?:from\s+)?(?:outside|externally|to\s+the\s+(?:internet|world)|on\s+the\s+internet|publicly))?/gi,
  /\b(?:no|without(?:\s+any)?|zero)\s+(?:public\s+|external\s+|outside\s+|internet\s+)(?:access|url|endpoint|exposure|ingress|traffic|ip|address|route)s?\b/gi,
  /\bno\s+(?:ingress|exposure|preview\s+url)\b/gi,
  /\bnothing\s+(?:is\s+|gets\s+|should\s+be\s+)?(?:exposed|public)\b/gi,
  /\b(?:do\s+not|don['’]?t|never)\s+(?:expose|publish|make\s+(?:it|them)\s+public)\w*/gi,
  /\b(?:only\s+)?(?:reachable|accessible|available|visible|connect\s+to)\s+(?:only\s+)?(?:from\s+)?(?:inside|within|in)\s+the\s+(?:cluster|environment|namespace)\b/gi,
  /\b(?:from\s+)?(?:inside|within)\s+the\s+(?:cluster|environment|namespace)\b/gi,
  /\b(?:internal(?:ly)?|private(?:ly)?|cluster[-\s]internal|cluster[-\s]only|in-cluster\s+only|unexposed)\b(?!\s+(?:registry|repo|repository|images?|keys?|network|tools?|dns))/gi,
];

const PUBLIC = [
  /\bpublic(?:ly)?\b(?:\s+(?:url|preview|endpoint|address|access|link|internet))?/gi,
  /\bpreview\s+(?:url|link|address|endpoint|environment\s+url)\b/gi,
  /\b(?:reachable|accessible|available|visible|open|exposed)\s+(?:from|on|over|to)\s+(?:the\s+)?(?:internet|web|world|outside)\b/gi,
  /\b(?:internet[-\s](?:facing|accessible|reachable|exposed)|(?:from|in)\s+(?:my|a|the|your)\s+browser|externally(?:\s+(?:reachable|accessible|available))?|from\s+outside(?:\s+the\s+cluster)?)\b/gi,
  /\bexpos(?:e|es|ed|ing)\s+(?:it|them|this|that|everything|both|all)\b/gi,
  /\bexpose\s+(?!(?:on\s+)?port\b|:?\d)/gi,
  /\bexpos(?:e|es|ed|ing)\b(?:\s+\w+){0,3}?\s+(?:to|on)\s+(?:the\s+)?(?:internet|web|world|outside)\b/gi,
  /\b(?:be|is|are|get|gets|make\s+(?:it|them))\s+exposed\b(?!\s+(?:on\s+)?(?:port|:?\d))/gi,
  /\b(?:an?\s+)?ingress\b|\bload\s*balancer\b/gi,
  /\b(?:a|its\s+own|with\s+a)\s+url\b/gi,
];

const GLOBAL = /\b(?:all|everything|both|them|each|every\s+(?:service|one))\b/i;

export function findExposure(text: string): ExposureMention[] {
  const mentions: ExposureMention[] = [];
  let rest = text;
  const take = (patterns: RegExp[], isPublic: boolean) => {
    for (const pattern of patterns) {
      for (const m of rest.matchAll(pattern)) {
        const start = m.index;
        const end = start + m[0].length;
        const around = text.slice(Math.max(0, start - 16), Math.min(text.length, end + 12));
        mentions.push({ public: isPublic, start, end, global: GLOBAL.test(around) });
        rest = rest.slice(0, start) + ' '.repeat(end - start) + rest.slice(end);
      }
    }
  };
  take(PRIVATE, false);
  take(PUBLIC, true);
  return mentions.sort((a, b) => a.start - b.start);
}
