import type { VibeEnvironmentSchedule } from '../api/vibe-environment-schedule.js';
import type { VibeEnvironment } from '../api/vibe-environment.js';
import { sleep } from '../reconciler/backoff.js';
import type { Controller } from '../reconciler/controller.js';
import type { ControllerScope } from '../reconciler/handlers.js';
import { Informer } from '../reconciler/informer.js';
import { keyOf } from '../reconciler/resource.js';
import { processTimeZone } from './cron.js';
import { scheduleHandlers } from './handlers.js';
import { SCHEDULED_ENVIRONMENT, VIBE_ENVIRONMENT_SCHEDULE } from './resource.js';
import { isRunOf } from './run-environment.js';
import { RunWriter } from './run-writer.js';
import { LABEL_SCHEDULE } from './run.js';

export const SCHEDULE_CONTROLLER = 'vibeenvironmentschedule';
/** The framework adds it only for delete handlers, which schedules need none of: ownerReferences clean up. */
const FINALIZER = 'vibe.dev/schedule';

export interface ScheduleControllerOptions extends ControllerScope {
  /** The zone of schedules that name none; the process's own when undefined. */
  defaultTimeZone?: string;
  /** The clock cron times are compared with; tests move it forward. */
  now?: () => number;
}

/**
 * The VibeEnvironmentSchedule controller: one informer for schedules, one for
 * the environments they created (so a run finishing wakes its schedule), and
 * the framework's controller running the schedule handlers.
 */
export class ScheduleController {
  readonly controller: Controller<VibeEnvironmentSchedule>;
  private readonly schedules: Informer<VibeEnvironmentSchedule>;
  private readonly runs: Informer<VibeEnvironment>;
  private readonly shutdown = new AbortController();

  constructor(opts: ScheduleControllerOptions) {
    const { client, logger, metrics, namespace } = opts;
    const scope = namespace ? { namespace } : {};
    this.schedules = new Informer<VibeEnvironmentSchedule>({
      client,
      resource: VIBE_ENVIRONMENT_SCHEDULE,
      logger,
      ...(metrics ? { metrics } : {}),
      ...scope,
      ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
    });
    this.runs = new Informer<VibeEnvironment>({
      client,
      resource: SCHEDULED_ENVIRONMENT,
      logger,
      ...(metrics ? { metrics } : {}),
      ...scope,
      labelSelector: LABEL_SCHEDULE,
    });
    const handlers = scheduleHandlers({
      runsOf: (schedule) => this.runs.list().filter((env) => isRunOf(env, schedule)),
      writer: new RunWriter(client, opts.fieldManager),
      defaultTimeZone: opts.defaultTimeZone ?? processTimeZone(),
      ...(opts.now ? { now: opts.now } : {}),
    });
    this.controller = handlers.controller({
      ...opts,
      name: SCHEDULE_CONTROLLER,
      finalizer: FINALIZER,
      informer: this.schedules,
      resource: VIBE_ENVIRONMENT_SCHEDULE,
      shutdown: this.shutdown.signal,
    });
    const wake = (env: VibeEnvironment) => {
      const schedule = env.metadata.labels?.[LABEL_SCHEDULE];
      if (schedule) this.controller.queue.add(keyOf({ name: schedule, namespace: env.metadata.namespace }));
    };
    this.runs.addHandler({
      onAdd: (env) => wake(env),
      onUpdate: (_old, env) => wake(env),
      onDelete: (env) => wake(env),
    });
  }

  /** Fills both caches, then starts reconciling; resolves early when stopped or when signal aborts. */
  async start(signal?: AbortSignal): Promise<void> {
    const stopping = signal ? AbortSignal.any([signal, this.shutdown.signal]) : this.shutdown.signal;
    this.runs.start();
    this.schedules.start();
    await Promise.race([
      Promise.all([this.runs.synced, this.schedules.synced]),
      sleep(2 ** 31 - 1, stopping),
    ]);
    if (!stopping.aborted) this.controller.start();
  }

  /** Stops taking work, waits for reconciles in flight, closes the watches. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.controller.stop();
    await Promise.all([this.schedules.stop(), this.runs.stop()]);
  }
}
