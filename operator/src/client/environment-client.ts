/**
 * The environment client: every operation a person or an assistant performs on VibeEnvironments, made
 * with the caller's own credentials (their kubeconfig, or the reviewed identity of an MCP caller), so
 * Kubernetes RBAC decides what each may do. The CLI, the MCP tools and Code Mode all call it.
 */
import { GROUP, API_VERSION } from '../api/group.js';
import {
  ANNOTATION_APPROVE,
  ANNOTATION_EXTEND,
  ANNOTATION_SLEEP,
  ANNOTATION_WAKE,
  LABEL_ENVIRONMENT,
  LABEL_RECORD,
  labelValue,
} from '../api/labels.js';
import { KIND, PLURAL, type VibeEnvironment } from '../api/vibe-environment.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import { PATCH } from '../reconciler/kube-client.js';
import { ClientError, explain, type Action } from './errors.js';
import { nameFromIntent } from './names.js';
import {
  operations,
  type Attempt,
  type Environment,
  type EnvironmentEvent,
  type InputOf,
  type LogLine,
  type OperationName,
  type OutputOf,
} from './schemas.js';
import { addedExtension, attemptView, environmentView, expectedExpiry } from './view.js';

const RESOURCE = `${PLURAL}.${GROUP}`;
const TERMINAL: readonly string[] = ['Failed', 'Expired'];

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  environment: Environment;
}

export class EnvironmentClient {
  constructor(
    private readonly kube: KubeClient,
    /** The namespace used when a call names none: the kubeconfig context's, else `default`. */
    readonly defaultNamespace = 'default',
  ) {}

  /** Validates the input against the operation's schema, runs it, and returns its output. */
  async call<N extends OperationName>(name: N, input: unknown): Promise<OutputOf<N>> {
    const parsed = operations[name].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ClientError(
        'VIBE_CLIENT_INVALID',
        `${name}: ${issue?.path.join('.') || 'the input'} ${issue?.message ?? 'is invalid'} (see the ${name} operation's input schema).`,
      );
    }
    const run = this[name] as (input: unknown) => Promise<OutputOf<N>>;
    return run.call(this, parsed.data);
  }

  /**
   * Creates the environment; with dryRun the API server checks it (schema, admission) and stores
   * nothing, and the answer is the environment as it would have been created.
   */
  async create(input: InputOf<'create'>, options: { dryRun?: boolean } = {}): Promise<Environment> {
    const namespace = this.ns(input.namespace);
    const name = input.name ?? nameFromIntent(input.intent);
    const budget =
      input.maxAttempts === undefined && input.maxTokens === undefined
        ? undefined
        : { maxAttempts: input.maxAttempts, maxTokens: input.maxTokens };
    const body = {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name, namespace },
      spec: {
        intent: input.intent,
        ttl: input.ttl,
        approval: input.approval,
        budget,
        preview: input.preview === undefined ? undefined : { enabled: input.preview },
      },
    };
    const created = await this.attempt({ verb: 'create', namespace, name }, () =>
      this.kube.request<VibeEnvironment>({
        method: 'POST',
        path: this.path(namespace),
        body,
        query: options.dryRun ? { dryRun: 'All' } : undefined,
      }),
    );
    return environmentView(created);
  }

  async list(input: InputOf<'list'> = {}): Promise<OutputOf<'list'>> {
    const namespace = input.allNamespaces ? undefined : this.ns(input.namespace);
    const list = await this.attempt({ verb: 'list', namespace, name: undefined }, () =>
      this.kube.request<{ items: VibeEnvironment[] }>({ method: 'GET', path: this.path(namespace) }),
    );
    return { items: list.items.map(environmentView) };
  }

  async get(input: InputOf<'get'>): Promise<Environment> {
    return environmentView(await this.read(input.name, this.ns(input.namespace)));
  }

  /**
   * Waits until the environment is in one of the phases, or Failed/Expired (returned, not thrown: the
   * caller decides). onChange sees every new phase and message on the way.
   */
  async wait(
    input: InputOf<'wait'>,
    onChange?: (env: Environment) => void,
    signal?: AbortSignal,
  ): Promise<Environment> {
    const namespace = this.ns(input.namespace);
    const phases: readonly string[] = input.phases ?? ['Ready'];
    const timeoutMs = (input.timeoutSeconds ?? 600) * 1000;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    const done = (env: Environment) => {
      const seen = `${env.phase}\0${env.message ?? ''}`;
      if (seen !== last) onChange?.(env);
      last = seen;
      return phases.includes(env.phase) || TERMINAL.includes(env.phase);
    };
    for (;;) {
      const env = await this.get({ name: input.name, namespace });
      if (done(env)) return env;
      if (Date.now() > deadline || signal?.aborted) {
        throw new ClientError(
          'VIBE_CLIENT_TIMEOUT',
          `vibeenvironment ${namespace}/${input.name} is still ${env.phase} after ${Math.round(timeoutMs / 1000)} s` +
            `${env.message ? ` (${env.message})` : ''}; wait longer or look at \`vibe get ${input.name}\` and its events.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async extend(input: InputOf<'extend'>): Promise<Environment> {
    const patched = await this.annotate(input.name, this.ns(input.namespace), (env) => ({
      [ANNOTATION_EXTEND]: addedExtension(env.metadata.annotations?.[ANNOTATION_EXTEND], input.by),
    }));
    return { ...environmentView(patched), expiresAt: expectedExpiry(patched) };
  }

  async approve(input: InputOf<'approve'>): Promise<Environment> {
    const namespace = this.ns(input.namespace);
    const object = `vibeenvironment ${namespace}/${input.name}`;
    const patched = await this.annotate(input.name, namespace, (env) => {
      if (env.spec.approval !== 'Manual') {
        throw new ClientError(
          'VIBE_CLIENT_NOT_MANUAL',
          `${object} has approval: Auto, so its plans need no approval; create it with --approval manual to review plans.`,
        );
      }
      const plan = env.status?.plan;
      if (!plan) {
        throw new ClientError(
          'VIBE_CLIENT_NO_PLAN',
          `${object} has no plan yet (phase ${env.status?.phase ?? 'Pending'}); wait for phase AwaitingApproval (\`vibe get ${input.name}\` shows it).`,
        );
      }
      if (input.hash !== undefined && input.hash !== plan.hash) {
        throw new ClientError(
          'VIBE_CLIENT_STALE_PLAN',
          `${object} now has plan ${plan.hash}, not the reviewed ${input.hash}; review the new plan and approve again.`,
        );
      }
      return { [ANNOTATION_APPROVE]: plan.hash };
    });
    return environmentView(patched);
  }

  /**
   * Asks the operator to put a Ready environment to sleep by writing the time to vibe.dev/sleep; the
   * latest of vibe.dev/sleep, vibe.dev/wake and the requests to its preview decides (ADR 0096).
   */
  async sleep(input: InputOf<'sleep'>): Promise<Environment> {
    const namespace = this.ns(input.namespace);
    const patched = await this.annotate(input.name, namespace, (env) => {
      const phase = env.status?.phase ?? 'Pending';
      if (phase !== 'Ready' && phase !== 'Sleeping') {
        throw new ClientError(
          'VIBE_CLIENT_NOT_READY',
          `vibeenvironment ${namespace}/${input.name} is ${phase}; only a Ready environment can sleep, so wait for phase Ready (\`vibe get ${input.name}\`).`,
        );
      }
      return { [ANNOTATION_SLEEP]: new Date().toISOString() };
    });
    return environmentView(patched);
  }

  /** Asks the operator to wake the environment by writing the time to vibe.dev/wake. */
  async wake(input: InputOf<'wake'>): Promise<Environment> {
    const patched = await this.annotate(input.name, this.ns(input.namespace), () => ({
      [ANNOTATION_WAKE]: new Date().toISOString(),
    }));
    return environmentView(patched);
  }

  async delete(input: InputOf<'delete'>): Promise<OutputOf<'delete'>> {
    const namespace = this.ns(input.namespace);
    await this.attempt({ verb: 'delete', namespace, name: input.name }, () =>
      this.kube.request({
        method: 'DELETE',
        path: `${this.path(namespace)}/${encodeURIComponent(input.name)}`,
      }),
    );
    return { name: input.name, namespace, deleted: true };
  }

  async attempts(input: InputOf<'attempts'>): Promise<OutputOf<'attempts'>> {
    const namespace = this.ns(input.namespace);
    const env = await this.read(input.name, namespace);
    const list = await this.attempt(
      {
        verb: 'list',
        namespace,
        name: input.name,
        resource: 'configmaps',
        object: `the attempt records of ${input.name}`,
      },
      () =>
        this.kube.request<{ items: RecordConfigMap[] }>({
          method: 'GET',
          path: `/api/v1/namespaces/${namespace}/configmaps`,
          query: { labelSelector: `${LABEL_ENVIRONMENT}=${labelValue(input.name)},${LABEL_RECORD}=attempt` },
        }),
    );
    const attempts = list.items
      .filter((cm) => cm.metadata.ownerReferences?.some((o) => o.uid === env.metadata.uid))
      .map((cm) => attemptView(parseJson(cm.data?.record), cm.metadata.creationTimestamp))
      .filter((a): a is Attempt => a !== null)
      .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.attempt - b.attempt);
    return { attempts };
  }

  async logs(input: InputOf<'logs'>): Promise<OutputOf<'logs'>> {
    const targets = await this.containers(input);
    const lines: LogLine[] = [];
    for (const { namespace, pod, container } of targets) {
      const text = await this.attempt(
        {
          verb: 'get',
          namespace,
          name: pod,
          resource: 'pods/log',
          object: `the logs of pod ${namespace}/${pod}`,
        },
        () =>
          this.kube.request<unknown>({
            method: 'GET',
            path: `/api/v1/namespaces/${namespace}/pods/${pod}/log`,
            query: { container, tailLines: input.tailLines ?? 100 },
          }),
      );
      const body = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
      for (const line of body.split('\n')) if (line) lines.push({ pod, container, text: line });
    }
    return { lines };
  }

  /** Streams the logs of every container running now until the signal aborts or the containers end. */
  async followLogs(
    input: InputOf<'logs'>,
    onLine: (line: LogLine) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const targets = await this.containers(input);
    await Promise.all(
      targets.map(({ namespace, pod, container }) =>
        this.kube
          .stream(
            {
              path: `/api/v1/namespaces/${namespace}/pods/${pod}/log`,
              query: { container, follow: true, tailLines: input.tailLines ?? 100 },
              signal,
            },
            (text) => onLine({ pod, container, text }),
          )
          .catch((error: unknown) => {
            if (signal?.aborted) return;
            throw explain(error, this.action({ verb: 'get', namespace, name: pod, resource: 'pods/log' }));
          }),
      ),
    );
  }

  async events(input: InputOf<'events'>): Promise<OutputOf<'events'>> {
    const namespace = this.ns(input.namespace);
    const env = await this.read(input.name, namespace);
    const own = await this.eventList(namespace, {
      fieldSelector: `involvedObject.kind=${KIND},involvedObject.name=${input.name}`,
    });
    const inside = env.status?.namespace ? await this.eventList(env.status.namespace, {}) : [];
    const events = [...own, ...inside].sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''));
    return { events };
  }

  /**
   * Calls onEvent for every change to the environments of a namespace until the signal aborts;
   * reconnects after the API server ends a watch. Resolves when aborted. onStarted is called once,
   * when the watch knows where it starts: every change after that moment reaches onEvent.
   */
  async watch(
    namespace: string | undefined,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
    onStarted?: () => void,
  ): Promise<void> {
    const ns = namespace ?? this.defaultNamespace;
    while (!signal.aborted) {
      const list = await this.attempt({ verb: 'watch', namespace: ns, name: undefined }, () =>
        this.kube.request<{ metadata: { resourceVersion: string } }>({
          method: 'GET',
          path: this.path(ns),
          query: { limit: 1 },
        }),
      );
      onStarted?.();
      onStarted = undefined;
      await this.kube
        .stream(
          {
            path: this.path(ns),
            query: {
              watch: true,
              resourceVersion: list.metadata.resourceVersion,
              allowWatchBookmarks: false,
            },
            signal,
          },
          (line) => {
            const event = parseJson(line) as { type?: string; object?: VibeEnvironment } | undefined;
            if (event?.object?.kind !== KIND) return;
            if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
              onEvent({ type: event.type, environment: environmentView(event.object) });
            }
          },
        )
        .catch((error: unknown) => {
          if (!signal.aborted)
            throw explain(error, this.action({ verb: 'watch', namespace: ns, name: undefined }));
        });
    }
  }

  private async containers(
    input: InputOf<'logs'>,
  ): Promise<Array<{ namespace: string; pod: string; container: string }>> {
    const env = await this.read(input.name, this.ns(input.namespace));
    const namespace = env.status?.namespace;
    if (!namespace) return [];
    const pods = await this.attempt({ verb: 'list', namespace, name: undefined, resource: 'pods' }, () =>
      this.kube.request<{
        items: Array<{ metadata: { name: string }; spec: { containers: Array<{ name: string }> } }>;
      }>({
        method: 'GET',
        path: `/api/v1/namespaces/${namespace}/pods`,
      }),
    );
    return pods.items.flatMap((pod) =>
      pod.spec.containers.map((c) => ({ namespace, pod: pod.metadata.name, container: c.name })),
    );
  }

  private async eventList(namespace: string, query: Record<string, string>): Promise<EnvironmentEvent[]> {
    const list = await this.attempt({ verb: 'list', namespace, name: undefined, resource: 'events' }, () =>
      this.kube.request<{ items: KubeEvent[] }>({
        method: 'GET',
        path: `/api/v1/namespaces/${namespace}/events`,
        query,
      }),
    );
    return list.items.map((e) => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`,
      count: e.count ?? 1,
      lastSeen: e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp,
    }));
  }

  private async read(name: string, namespace: string): Promise<VibeEnvironment> {
    return this.attempt({ verb: 'get', namespace, name }, () =>
      this.kube.request<VibeEnvironment>({
        method: 'GET',
        path: `${this.path(namespace)}/${encodeURIComponent(name)}`,
      }),
    );
  }

  /**
   * Writes the annotations `decide` computes from the object as read, guarded by its resourceVersion so
   * nothing written meanwhile is overwritten; on a conflict (the operator updated the status) it reads
   * and decides again.
   */
  private async annotate(
    name: string,
    namespace: string,
    decide: (env: VibeEnvironment) => Record<string, string>,
  ): Promise<VibeEnvironment> {
    for (let attempt = 1; ; attempt++) {
      const env = await this.read(name, namespace);
      const annotations = decide(env);
      try {
        return await this.attempt({ verb: 'patch', namespace, name }, () =>
          this.kube.request<VibeEnvironment>({
            method: 'PATCH',
            path: `${this.path(namespace)}/${encodeURIComponent(name)}`,
            contentType: PATCH.merge,
            body: { metadata: { resourceVersion: env.metadata.resourceVersion, annotations } },
          }),
        );
      } catch (error) {
        if (!(error instanceof ClientError && error.code === 'VIBE_CLIENT_CONFLICT') || attempt >= 5)
          throw error;
      }
    }
  }

  private async attempt<T>(what: ActionSpec, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw explain(error, this.action(what));
    }
  }

  private action(what: ActionSpec): Action {
    const resource = what.resource ?? RESOURCE;
    const object =
      what.object ??
      (what.name
        ? `${resource === RESOURCE ? 'vibeenvironment' : resource} ${what.namespace}/${what.name}`
        : `${resource} ${what.namespace === undefined ? 'in every namespace' : `in ${what.namespace}`}`);
    return { verb: what.verb, resource, namespace: what.namespace, object };
  }

  private ns(namespace: string | undefined): string {
    return namespace ?? this.defaultNamespace;
  }

  private path(namespace: string | undefined): string {
    const root = `/apis/${API_VERSION}`;
    return namespace === undefined
      ? `${root}/${PLURAL}`
      : `${root}/namespaces/${encodeURIComponent(namespace)}/${PLURAL}`;
  }
}

interface ActionSpec {
  verb: Action['verb'];
  namespace: string | undefined;
  name: string | undefined;
  resource?: string;
  object?: string;
}

interface RecordConfigMap {
  metadata: { creationTimestamp?: string; ownerReferences?: Array<{ uid?: string }> };
  data?: Record<string, string>;
}

interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string };
  metadata?: { creationTimestamp?: string };
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
