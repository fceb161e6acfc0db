/**
 * Runs scaffolder tasks through a test backend's HTTP API, as the Backstage frontend does, and reads
 * back their status, log and output.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { TestBackend } from '@backstage/backend-test-utils';
import type { AddressInfo } from 'node:net';

export interface TaskEvent {
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: { message?: string; status?: string; output?: Record<string, unknown>; stepId?: string };
}

export interface FinishedTask {
  id: string;
  status: string;
  log: string[];
  /** The log since the task was last recovered after a crash (all of it when it never was). */
  logSinceRecovery: string[];
  output: Record<string, unknown>;
}

export class ScaffolderApi {
  constructor(private readonly backend: TestBackend) {}

  private url(path: string): string {
    const { port } = this.backend.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/scaffolder${path}`;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.url(path), {
      method,
      headers: { authorization: mockCredentials.user.header(), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** Starts a task from a template in the catalog and returns its id. */
  async start(templateRef: string, values: Record<string, unknown>): Promise<string> {
    const { id } = await this.request<{ id: string }>('POST', '/v2/tasks', { templateRef, values });
    return id;
  }

  async retry(taskId: string): Promise<void> {
    await this.request('POST', `/v2/tasks/${taskId}/retry`, {});
  }

  /** Waits until the task completed or failed (after `after` events, for a retried task). */
  async finished(id: string, timeoutMs = 120_000): Promise<FinishedTask> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = await this.request<{ status: string }>('GET', `/v2/tasks/${id}`);
      if (['completed', 'failed', 'cancelled'].includes(task.status)) {
        const events = await this.request<TaskEvent[]>('GET', `/v2/tasks/${id}/events`);
        const completion = events.filter((e) => e.type === 'completion').at(-1);
        const recovered = events.map((e) => e.type).lastIndexOf('recovered');
        return {
          id,
          status: task.status,
          log: events.filter((e) => e.type === 'log').map((e) => e.body.message ?? ''),
          logSinceRecovery: events
            .slice(recovered + 1)
            .filter((e) => e.type === 'log')
            .map((e) => e.body.message ?? ''),
          output: completion?.body.output ?? {},
        };
      }
      if (Date.now() > deadline)
        throw new Error(`scaffolder task ${id} is still ${task.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Runs a template given inline, with every action in dry-run mode; nothing is stored. */
  dryRun(template: unknown, values: Record<string, unknown>) {
    return this.request<{
      log: Array<{ body: { message: string; stepId?: string; status?: string } }>;
      steps: unknown[];
      output: Record<string, unknown>;
    }>('POST', '/v2/dry-run', { template, values, directoryContents: [] });
  }
}
