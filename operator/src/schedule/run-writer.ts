import type { VibeEnvironmentSchedule } from '../api/vibe-environment-schedule.js';
import type { VibeEnvironment } from '../api/vibe-environment.js';
import { isApiError } from '../reconciler/errors.js';
import type { KubeClient } from '../reconciler/kube-client.js';
import { collectionPath, objectPath } from '../reconciler/resource.js';
import { ScheduleError } from './errors.js';
import { SCHEDULED_ENVIRONMENT } from './resource.js';
import { isRunOf, runEnvironment } from './run-environment.js';
import type { Run } from './run.js';

/** Creates and deletes the VibeEnvironments of runs; the only writes a schedule makes besides its status. */
export class RunWriter {
  constructor(
    private readonly client: KubeClient,
    private readonly fieldManager: string,
  ) {}

  /**
   * Creates the run for scheduledAt. AlreadyExists means an earlier attempt
   * succeeded, so the existing object is returned, provided this schedule owns it.
   */
  async create(schedule: VibeEnvironmentSchedule, scheduledAt: Date): Promise<VibeEnvironment> {
    const env = runEnvironment(schedule, scheduledAt);
    const namespace = schedule.metadata.namespace;
    try {
      return await this.client.request<VibeEnvironment>({
        method: 'POST',
        path: collectionPath(SCHEDULED_ENVIRONMENT, namespace),
        body: env,
        query: { fieldManager: this.fieldManager },
      });
    } catch (err) {
      if (!isApiError(err, 409)) throw err;
    }
    const existing = await this.client.request<VibeEnvironment>({
      method: 'GET',
      path: objectPath(SCHEDULED_ENVIRONMENT, namespace, env.metadata.name),
    });
    if (isRunOf(existing, schedule)) return existing;
    throw new ScheduleError(
      'VIBE_SCHEDULE_NAME_TAKEN',
      `the run scheduled for ${scheduledAt.toISOString()} needs the name ${env.metadata.name}, but a VibeEnvironment this schedule does not own already has it; delete or rename that environment.`,
    );
  }

  /** Deletes a run unless it is already gone or was replaced by another object of the same name. */
  async delete(namespace: string | undefined, run: Run): Promise<void> {
    try {
      await this.client.request({
        method: 'DELETE',
        path: objectPath(SCHEDULED_ENVIRONMENT, namespace, run.name),
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: 'Background',
          ...(run.uid ? { preconditions: { uid: run.uid } } : {}),
        },
      });
    } catch (err) {
      if (!isApiError(err, 404) && !isApiError(err, 409)) throw err;
    }
  }
}
