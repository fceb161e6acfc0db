/**
 * The architecture table of docs/architecture.md as data: which part of operator/src may import
 * which. import-boundaries.js enforces it in `make lint`; change the two together.
 *
 * A part is a folder directly under operator/src, or one of the top-level files named below.
 * `imports` lists the parts a part's sources may import besides themselves ('*' = any part but
 * those in `nobodyImports`). Tests (*.test.ts) may also import what they need to build their
 * inputs; the room rules below hold for them too.
 */
export const SOURCE_ROOT = 'operator/src';

export const PARTS = {
  /** The error catalogue: every part may import it (EVERYONE_IMPORTS). */
  errors: { imports: [] },
  api: { imports: [] },
  reconciler: { imports: ['api'] },
  policy: { imports: ['api'] },
  models: { imports: [] },
  sandbox: { imports: [] },
  agent: { imports: ['models', 'sandbox', 'policy', 'api', 'sandbox-runtime'] },
  environment: { imports: ['reconciler', 'agent', 'policy', 'api', 'config', 'schedule'] },
  schedule: { imports: ['reconciler', 'api'] },
  'preview-router': { imports: ['reconciler', 'api', 'activator'] },
  /** The activator: holds requests to sleeping environments while they wake, counts requests for idle. */
  activator: { imports: ['reconciler', 'api'] },
  client: { imports: ['api', 'reconciler'] },
  mcp: { imports: ['client', 'sandbox', 'reconciler', 'api', 'sandbox-runtime'] },
  image: { imports: ['sandbox', 'agent'] },
  server: { imports: ['*'] },
  cli: { imports: ['*'] },
  /** config.ts: the one validated, deeply frozen config; it checks the models and the policy document with their own schemas. */
  config: { imports: ['api', 'policy', 'models'] },
  /** create-planner.ts: the planner the config names, for the operator and `vibe` commands. */
  wiring: { imports: ['*'] },
  /** main.ts, operator-command.ts, vibe.ts: start-up; nothing below them imports them. */
  start: { imports: ['*'] },
  /** What runs inside the sandbox; the operator reads the SDK's typings only. */
  'sandbox-runtime': { imports: [] },
};

/** Top-level files of operator/src and the part each belongs to. */
export const TOP_LEVEL_FILES = {
  'config.ts': 'config',
  'create-planner.ts': 'wiring',
  'main.ts': 'start',
  'operator-command.ts': 'start',
  'vibe.ts': 'start',
};

/** Parts every part may import, whatever its `imports` say (the sandbox runtime aside: it runs alone). */
export const EVERYONE_IMPORTS = ['errors'];

/** Parts no other part imports, whatever its `imports` say. */
export const NOBODY_IMPORTS = ['start', 'cli', 'server'];

/**
 * Rooms: folders whose index.ts is their only public surface. Code outside a room imports its
 * index.ts, never a file behind it; code inside a room never imports its own index.
 */
export const ROOMS = [
  'operator/src/environment',
  'operator/src/environment/planning',
  'operator/src/environment/cluster',
  'operator/src/environment/readiness',
  'operator/src/environment/preview',
  'operator/src/environment/sleep',
  'operator/src/activator',
  'operator/src/errors',
  'operator/src/models',
  'operator/src/policy',
];

/**
 * The environment's rooms, top to bottom: each may import the ones after it, never one before it.
 * The lifecycle (the files directly in environment/) is above them all; objects.ts (Manifest,
 * ObjectRef) is beneath them all.
 */
export const ENVIRONMENT_ROOMS = {
  root: 'operator/src/environment',
  order: ['planning', 'sleep', 'cluster', 'readiness', 'preview'],
  shared: ['objects.ts'],
};
