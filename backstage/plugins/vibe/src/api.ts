/** The vibe backend plugin's routes, as the entity card calls them. */

/** An environment as the backend answers it (the environment client's view). */
export interface EnvironmentView {
  name: string;
  namespace: string;
  intent: string;
  phase: string;
  message?: string;
  expiresAt?: string;
  previewUrl?: string;
  usage?: { tokens: number; cost: string };
  conditions: Array<{ type: string; status: string; reason: string; message: string }>;
}

export interface AttemptView {
  attempt: number;
  author: string;
  model?: string;
  script?: string;
  failure?: string;
  diagnostics: Array<{ source: string; code: string; message: string }>;
}

export interface LogLineView {
  pod: string;
  container: string;
  text: string;
}

export interface EntityRef {
  kind: string;
  namespace: string;
  name: string;
}

export interface VibeApi {
  environments(entity: EntityRef): Promise<EnvironmentView[]>;
  extend(env: EnvironmentView, by: string): Promise<EnvironmentView>;
  attempts(env: EnvironmentView): Promise<AttemptView[]>;
  logs(env: EnvironmentView, tailLines: number): Promise<LogLineView[]>;
}

/** Calls the backend plugin at baseUrl() with fetchFn (Backstage's fetchApi adds the user's token). */
export class VibeClient implements VibeApi {
  constructor(
    private readonly baseUrl: () => Promise<string>,
    private readonly fetchFn: typeof fetch,
  ) {}

  async environments(entity: EntityRef): Promise<EnvironmentView[]> {
    const path = `/entities/${enc(entity.kind)}/${enc(entity.namespace)}/${enc(entity.name)}/environments`;
    return (await this.request<{ items: EnvironmentView[] }>('GET', path)).items;
  }

  extend(env: EnvironmentView, by: string): Promise<EnvironmentView> {
    return this.request('POST', `${this.path(env)}/extend`, { by });
  }

  async attempts(env: EnvironmentView): Promise<AttemptView[]> {
    return (await this.request<{ attempts: AttemptView[] }>('GET', `${this.path(env)}/attempts`)).attempts;
  }

  async logs(env: EnvironmentView, tailLines: number): Promise<LogLineView[]> {
    return (
      await this.request<{ lines: LogLineView[] }>('GET', `${this.path(env)}/logs?tailLines=${tailLines}`)
    ).lines;
  }

  private path(env: EnvironmentView): string {
    return `/environments/${enc(env.namespace)}/${enc(env.name)}`;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetchFn(`${await this.baseUrl()}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!res.ok)
      throw new Error(
        answer.error?.message ?? `the vibe backend answered ${res.status} to ${method} ${path}.`,
      );
    return answer as T;
  }
}

const enc = encodeURIComponent;
