import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from './api/duration.js';
import { modelGatewayConfigSchema } from './models/index.js';
import { DEFAULT_POLICY, PolicyDocument } from './policy/index.js';

const duration = z.string().refine(
  (v) => {
    try {
      parseDuration(v);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a duration such as 30m, 4h or 2d' },
);

/** HOST:PORT of a listener or a destination. */
const hostPort = z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be HOST:PORT, e.g. 10.250.0.2:80');

/** An IPv4 address and a port, as an EndpointSlice names them. */
const ipv4HostPort = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/, 'must be IPV4:PORT, e.g. 10.250.0.1:8089')
  .refine(
    (v) => {
      const [address, port] = v.split(':') as [string, string];
      const octetsValid = address.split('.').every((o) => Number(o) <= 255);
      return octetsValid && address !== '0.0.0.0' && Number(port) >= 1 && Number(port) <= 65535;
    },
    { message: 'must be an IPv4 address other than 0.0.0.0 and a port from 1 to 65535' },
  );

export const configSchema = z
  .object({
    kubeconfig: z.string().min(1).optional(),
    namespace: z.string().min(1).max(63).optional(),
    labelSelector: z.string().min(1).optional(),
    concurrency: z.coerce.number().int().min(1).max(256).default(4),
    metricsPort: z.coerce.number().int().min(0).max(65535).default(8080),
    bindAddress: z.string().min(1).default('0.0.0.0'),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    leaderElect: z.boolean().default(false),
    leaderElectionNamespace: z.string().min(1).default('default'),
    leaderElectionId: z.string().min(1).default('vibe-operator'),
    identity: z.string().min(1).default(`${os.hostname()}_${process.pid}`),
    maxTtl: duration.default('7d'),
    shutdownGrace: duration.default('30s'),
    planner: z.enum(['offline', 'anthropic', 'openai-compatible', 'static', 'noop']).default('offline'),
    plannerModule: z.string().min(1).optional(),
    /** runsc: local gVisor; pod: a gVisor pod in the cluster's sandboxNamespace; process: unsandboxed, development only. */
    executor: z.enum(['runsc', 'pod', 'process']).default('runsc'),
    /** Where the pod executor runs sandbox pods; the operator needs the chart's sandbox Role there. */
    sandboxNamespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name (a DNS label)')
      .default('default'),
    /** The pod executor's image; unset, the one `vibe sandbox image` builds from the local rootfs. */
    sandboxImage: z.string().min(1).optional(),
    /**
     * Sandbox runners kept booted and waiting, each used for one script then destroyed; 0 turns the
     * pool off. Unset: DEFAULT_POOL_SIZE of the executor (sandbox/create-executor.ts).
     */
    sandboxPoolSize: z.coerce.number().int().min(0).max(32).optional(),
    /** The model gateway (providers, retries, cache, budget); from the config file only, as keys live there. */
    models: modelGatewayConfigSchema.optional(),
    policyFile: z.string().min(1).optional(),
    /**
     * The policy gate's document: what loadConfig read from policyFile, or the config file's own
     * `policy` mapping; neither, the built-in policy. Checked here with everything else.
     */
    policy: PolicyDocument.default(DEFAULT_POLICY),
    serverDryRun: z.boolean().default(true),
    fieldManager: z.string().min(1).default('vibe-operator'),
    namespacePrefix: z
      .string()
      .regex(/^[a-z0-9-]{0,20}$/)
      .default('vibe-'),
    podSecurity: z.enum(['restricted', 'baseline']).default('restricted'),
    nodeImagePrefixes: z
      .string()
      .default('localhost/')
      .transform((v) =>
        v
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      ),
    imageMirrors: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^[^=\s]+=[^=\s]+$/,
              'must be FROM=TO prefix pairs, e.g. docker.io/library/=localhost/vibe/',
            )
            .transform((pair) => ({ from: pair.split('=')[0]!, to: pair.split('=')[1]! })),
        ),
      ),
    expiryWarning: duration.default('10m'),
    namespaceStuckAfter: duration.default('5m'),
    previewIngressClass: z.string().min(1).max(253).default('vibe'),
    previewHostTemplate: z
      .string()
      .min(1)
      .refine((v) => v.includes('{name}'), {
        message: 'must contain {name} so environments get distinct hosts',
      })
      .default('{name}-{namespace}.{previewDomain}'),
    previewDomain: z.string().min(1).max(200).default('vibe.localhost'),
    previewTlsSecret: z.string().min(1).max(253).optional(),
    previewUrlPort: z.coerce.number().int().min(1).max(65535).optional(),
    previewGateway: z
      .string()
      .regex(
        /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/,
        'must be NAMESPACE/NAME of a Gateway, e.g. infra/preview',
      )
      .transform((v) => ({ namespace: v.split('/')[0]!, name: v.split('/')[1]! }))
      .optional(),
    previewGatewaySection: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,251}[a-z0-9])?$/, 'must be the name of one of the Gateway listeners')
      .optional(),
    previewGatewayTls: z.boolean().default(false),
    previewRouter: z.boolean().default(false),
    /** The in-cluster ingress controller's namespace: its pods may connect to the pods a preview exposes. */
    previewControllerNamespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name (a DNS label)')
      .optional(),
    /** Labels of the controller's pods in that namespace; unset, every pod there is the controller. */
    previewControllerLabels: z
      .string()
      .regex(
        /^[^=,\s]+=[^=,\s]*(,[^=,\s]+=[^=,\s]*)*$/,
        'must be KEY=VALUE pairs separated by commas, e.g. app.kubernetes.io/name=traefik',
      )
      .transform((v) => Object.fromEntries(v.split(',').map((pair) => pair.split('=') as [string, string])))
      .optional(),
    previewRouterAddress: z
      .string()
      .regex(/^[^:\s]+:\d{1,5}$/, 'must be HOST:PORT, e.g. 127.0.0.1:8088')
      .default('127.0.0.1:8088'),
    /**
     * IPv4:PORT at which the in-cluster ingress controller's pods reach the operator's activator:
     * set, a sleeping environment's preview Ingresses are copied to a Service naming this address
     * only, so the controller sends their requests to the activator (ADR 0096).
     */
    activatorEndpoint: ipv4HostPort.optional(),
    /** HOST:PORT the activator listens on; unset, 0.0.0.0 and activatorEndpoint's port. */
    activatorAddress: hostPort.optional(),
    /** HOST:PORT of the controller's HTTP entry point, where the activator sends a request once it woke its environment. */
    previewControllerAddress: hostPort.optional(),
    /**
     * The controller's Prometheus metrics URL: its per-service request counters, read every 30 s,
     * are the requests that keep environments awake (ADR 0097).
     */
    previewControllerMetrics: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://10.244.0.5:8080/metrics' })
      .optional(),
    mcp: z.boolean().default(false),
    mcpReadOnly: z.boolean().default(false),
    mcpNoDestructive: z.boolean().default(false),
    mcpAllowedHosts: z
      .string()
      .regex(
        /^[^,\s]+(,[^,\s]+)*$/,
        'must be host names separated by commas, e.g. vibe.example.com,localhost',
      )
      .default('localhost,127.0.0.1,[::1]'),
  })
  .strict()
  .superRefine((c, ctx) => {
    const model = c.planner === 'anthropic' || c.planner === 'openai-compatible';
    if (c.models !== undefined && !model) {
      ctx.addIssue({
        code: 'custom',
        path: ['models'],
        message: `is used only with planner anthropic or openai-compatible, not ${c.planner}`,
      });
    }
    if (!c.previewGateway) {
      for (const key of ['previewGatewaySection', 'previewGatewayTls'] as const) {
        if (c[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'applies to HTTPRoute previews only; set previewGateway (--preview-gateway) too',
          });
      }
    } else if (c.previewTlsSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['previewTlsSecret'],
        message:
          'is for Ingress previews; with previewGateway the Gateway terminates TLS, so set previewGatewayTls (--preview-gateway-tls) instead',
      });
    }
    if (c.previewControllerLabels && !c.previewControllerNamespace) {
      ctx.addIssue({
        code: 'custom',
        path: ['previewControllerLabels'],
        message:
          "selects pods in the controller's namespace; set previewControllerNamespace (--preview-controller-namespace) too",
      });
    }
    if (c.activatorEndpoint && !c.previewControllerAddress) {
      ctx.addIssue({
        code: 'custom',
        path: ['activatorEndpoint'],
        message:
          "sends woken requests back through the ingress controller; set previewControllerAddress (--preview-controller-address) to the controller's HTTP address too",
      });
    }
    for (const key of ['activatorEndpoint', 'previewControllerMetrics'] as const) {
      if (c[key] && c.previewRouter) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            'is for previews served by an in-cluster ingress controller, but previewRouter (--preview-router) serves them from the operator, with its own activator; set one of them',
        });
      }
    }
    if (c.activatorAddress && !c.activatorEndpoint) {
      ctx.addIssue({
        code: 'custom',
        path: ['activatorAddress'],
        message: 'is where the activator listens; set activatorEndpoint (--activator-endpoint) to turn it on',
      });
    }
    if (c.previewControllerNamespace && c.previewRouter) {
      ctx.addIssue({
        code: 'custom',
        path: ['previewControllerNamespace'],
        message:
          'names an in-cluster ingress controller, but previewRouter (--preview-router) serves previews from the operator; set one of them',
      });
    }
  });

export type Config = Readonly<z.output<typeof configSchema>>;

export class ConfigError extends Error {
  readonly code = 'VIBE_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Each config key's flag and what it does, for parsing and for `vibe operator --help`. */
const FLAGS: Record<string, [flag: string, help: string]> = {
  kubeconfig: ['kubeconfig', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)'],
  namespace: ['namespace', 'watch this namespace only (default: all)'],
  labelSelector: ['label-selector', 'watch only objects matching this label selector'],
  concurrency: ['concurrency', 'objects reconciled at once (default 4)'],
  metricsPort: ['metrics-port', 'port of /metrics, /healthz, /readyz; 0 picks a free one (default 8080)'],
  bindAddress: ['bind-address', 'address that port listens on (default 0.0.0.0)'],
  logLevel: ['log-level', 'trace, debug, info, warn, error or fatal (default info)'],
  leaderElect: ['leader-elect', 'elect one leader among replicas through a Lease (default off)'],
  leaderElectionNamespace: ['leader-election-namespace', "the Lease's namespace (default default)"],
  leaderElectionId: ['leader-election-id', "the Lease's name (default vibe-operator)"],
  identity: ['identity', "this replica's name in the Lease (default host_pid)"],
  maxTtl: ['max-ttl', 'longest spec.ttl this operator accepts (default 7d; the CRD allows 30d)'],
  shutdownGrace: ['shutdown-grace', 'how long handlers in flight may finish on SIGTERM (default 30s)'],
  planner: [
    'planner',
    'offline (the Code Mode agent with the offline author), anthropic or openai-compatible (a model; gateway from the models key of --config, else ANTHROPIC_*/OPENAI_* variables), static or noop (default offline)',
  ],
  plannerModule: ['planner-module', 'a module exporting createPlanner(), used instead of --planner'],
  executor: [
    'executor',
    'where scripts run: runsc (local gVisor), pod (a gVisor pod), process (no sandbox) (default runsc)',
  ],
  sandboxNamespace: ['sandbox-namespace', "namespace of the pod executor's sandbox pods (default default)"],
  sandboxImage: [
    'sandbox-image',
    "the pod executor's image (default: the image `vibe sandbox image` writes, imported into the node)",
  ],
  sandboxPoolSize: [
    'sandbox-pool-size',
    'sandbox runners (runsc containers or gVisor pods) kept booted for the next plans, each used once; 0 turns the pool off (default 2 with runsc, 0 with pod)',
  ],
  policyFile: ['policy-file', 'policy document for the policy gate (default: the built-in policy)'],
  serverDryRun: [
    'server-dry-run',
    'server-side dry-run gate as the environment identity; --no-server-dry-run turns it off (default on)',
  ],
  fieldManager: ['field-manager', 'server-side apply field manager and event source (default vibe-operator)'],
  namespacePrefix: ['namespace-prefix', "prefix of each environment's namespace (default vibe-)"],
  podSecurity: [
    'pod-security',
    'PodSecurity level of environment namespaces: restricted or baseline (default restricted)',
  ],
  nodeImagePrefixes: [
    'node-image-prefixes',
    'comma-separated image prefixes the node holds without a registry; never pulled (default localhost/)',
  ],
  imageMirrors: [
    'image-mirrors',
    'comma-separated FROM=TO image prefix rewrites, e.g. docker.io/library/=localhost/vibe/',
  ],
  expiryWarning: ['expiry-warning', 'how long before expiresAt the ExpiringSoon warning comes (default 10m)'],
  namespaceStuckAfter: [
    'namespace-stuck-after',
    'a namespace Terminating this long is reported as stuck (default 5m)',
  ],
  previewIngressClass: ['preview-ingress-class', 'IngressClass of preview Ingresses (default vibe)'],
  previewHostTemplate: [
    'preview-host-template',
    'preview host with {name}, {namespace}, {previewDomain} (default {name}-{namespace}.{previewDomain})',
  ],
  previewDomain: ['preview-domain', 'domain of preview hosts (default vibe.localhost)'],
  previewTlsSecret: ['preview-tls-secret', 'TLS Secret for preview Ingresses; URLs become https'],
  previewUrlPort: [
    'preview-url-port',
    'port written into preview URLs (default: the preview router port, if it runs)',
  ],
  previewGateway: [
    'preview-gateway',
    'NAMESPACE/NAME of a Gateway: previews become HTTPRoutes attached to it instead of Ingresses',
  ],
  previewGatewaySection: [
    'preview-gateway-section',
    'the Gateway listener preview HTTPRoutes attach to (sectionName; default: all its listeners)',
  ],
  previewGatewayTls: [
    'preview-gateway-tls',
    'the Gateway terminates TLS for preview hosts: URLs become https (default off)',
  ],
  previewRouter: [
    'preview-router',
    'serve preview Ingresses (or HTTPRoutes of --preview-gateway) from the operator, for clusters without an ingress or Gateway controller (default off)',
  ],
  previewControllerNamespace: [
    'preview-controller-namespace',
    "namespace of the cluster's ingress or Gateway controller: its pods may connect to the pods a preview exposes (default: none may)",
  ],
  previewControllerLabels: [
    'preview-controller-labels',
    "KEY=VALUE[,KEY=VALUE] labels of the controller's pods in that namespace (default: all its pods)",
  ],
  previewRouterAddress: [
    'preview-router-address',
    'HOST:PORT the preview router listens on (default 127.0.0.1:8088)',
  ],
  activatorEndpoint: [
    'activator-endpoint',
    "IPV4:PORT where the ingress controller's pods reach the activator; sleeping previews route there and wake on a request (default: off)",
  ],
  activatorAddress: [
    'activator-address',
    "HOST:PORT the activator listens on (default 0.0.0.0 and --activator-endpoint's port)",
  ],
  previewControllerAddress: [
    'preview-controller-address',
    "HOST:PORT of the ingress controller's HTTP entry point, where the activator sends requests it held",
  ],
  previewControllerMetrics: [
    'preview-controller-metrics',
    "URL of the ingress controller's Prometheus metrics (Traefik's): its request counters keep environments awake for spec.sleep.afterIdle",
  ],
  mcp: [
    'mcp',
    'serve MCP (Streamable HTTP) at /mcp on the metrics port; callers send Kubernetes bearer tokens (default off)',
  ],
  mcpReadOnly: ['mcp-read-only', 'the /mcp endpoint allows reads only (default off)'],
  mcpNoDestructive: ['mcp-no-destructive', 'the /mcp endpoint refuses deletes (default off)'],
  mcpAllowedHosts: [
    'mcp-allowed-hosts',
    'Host header names /mcp answers to, comma-separated (DNS rebinding protection; default localhost,127.0.0.1,[::1])',
  ],
};
const FLAG_OF: Record<string, string> = Object.fromEntries(
  Object.entries(FLAGS).map(([k, [flag]]) => [k, flag]),
);

/** Flags that take no value (--no-NAME turns them off); their environment variables read "true" or "false". */
const BOOLEAN_KEYS = new Set([
  'leaderElect',
  'serverDryRun',
  'previewGatewayTls',
  'previewRouter',
  'mcp',
  'mcpReadOnly',
  'mcpNoDestructive',
]);
const BOOLEAN_FLAGS = new Set([...BOOLEAN_KEYS].map((key) => FLAG_OF[key]));

/** VIBE_ + the flag in upper snake case, e.g. --max-ttl -> VIBE_MAX_TTL. */
export function envName(key: string): string {
  return `VIBE_${(FLAG_OF[key] ?? key).toUpperCase().replace(/-/g, '_')}`;
}

export const CONFIG_HELP = Object.entries(FLAGS)
  .map(([key, [flag, help]]) => `  --${flag.padEnd(26)} ${help}\n  ${' '.repeat(28)} env ${envName(key)}`)
  .join('\n');

/**
 * Reads the operator config from, in rising precedence, an optional YAML file
 * (--config), VIBE_* environment variables and flags; validates it once and
 * freezes it. A bad value stops start-up with the key, where it came from and
 * what is wrong.
 */
export async function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const options = Object.fromEntries(
    Object.values(FLAG_OF).map((flag) => [
      flag,
      { type: BOOLEAN_FLAGS.has(flag) ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, config: { type: 'string' } },
      strict: true,
      allowNegative: true,
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Run 'vibe operator --help' for the flags.`);
  }
  const { config: file, ...flags } = parsed.values as Record<string, string | boolean | undefined> & {
    config?: string;
  };
  const sources: Record<string, string> = {};
  const raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read the config file ${file}: ${(err as Error).message}`);
    }
    const data: unknown = parseYaml(text);
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
      throw new ConfigError(`the config file ${file} must hold a mapping of keys to values`);
    }
    for (const [k, v] of Object.entries((data ?? {}) as Record<string, unknown>)) {
      raw[k] = v;
      sources[k] = `config file ${file}`;
    }
  }
  for (const [key, flag] of Object.entries(FLAG_OF)) {
    const fromEnv = env[envName(key)];
    if (fromEnv !== undefined && fromEnv !== '') {
      raw[key] = BOOLEAN_KEYS.has(key) ? fromEnv === 'true' : fromEnv;
      sources[key] = `env ${envName(key)}`;
    }
    if (flags[flag] !== undefined) {
      raw[key] = flags[flag];
      sources[key] = `flag --${flag}`;
    }
  }
  if (raw.kubeconfig === undefined && env.KUBECONFIG) raw.kubeconfig = env.KUBECONFIG;
  const lines = await readPolicyFile(raw, sources);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key =
        issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(root)');
      const source = sources[String(issue.path[0] ?? key)];
      lines.push(`  ${key}${source ? ` (from ${source})` : ''}: ${issue.message}`);
    }
  }
  if (lines.length || !result.success) {
    throw new ConfigError(`invalid operator configuration:\n${lines.join('\n')}`);
  }
  return deepFreeze(result.data);
}

/**
 * Puts the document policyFile names into `raw.policy`, for the schema to check with every other
 * key; returns what kept it from being read, one line each.
 */
async function readPolicyFile(
  raw: Record<string, unknown>,
  sources: Record<string, string>,
): Promise<string[]> {
  const path = raw.policyFile;
  if (typeof path !== 'string' || path === '') return [];
  const from = sources.policyFile ? ` (from ${sources.policyFile})` : '';
  if (raw.policy !== undefined) {
    return [`  policyFile${from}: the config file holds a policy mapping too; keep one of them`];
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return [`  policyFile${from}: cannot read the policy file ${path}: ${(err as Error).message}`];
  }
  try {
    raw.policy = parseYaml(text);
  } catch (err) {
    return [`  policyFile${from}: the policy file ${path} is not YAML: ${(err as Error).message}`];
  }
  sources.policy = `policy file ${path}`;
  return [];
}

/** Freezes `value` and every plain object and array inside it, so no part can change the config it was given. */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
