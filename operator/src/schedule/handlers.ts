import { rfc3339, setCondition } from '../api/condition.js';
import type { VibeEnvironmentSchedule } from '../api/vibe-environment-schedule.js';
import type { VibeEnvironment } from '../api/vibe-environment.js';
import type { HandlerContext } from '../reconciler/handler-types.js';
import { Handlers } from '../reconciler/handlers.js';
import { decideConcurrency } from './concurrency.js';
import { parseCron } from './cron.js';
import { dueRun, type DueRun } from './due-run.js';
import { ScheduleError } from './errors.js';
import { latestSuccess, runsToPrune } from './history.js';
import { assertNameFits } from './run-environment.js';
import type { RunWriter } from './run-writer.js';
import { byScheduledTime, toRun, type Run } from './run.js';

export interface ScheduleHandlerDeps {
  /** The VibeEnvironments this schedule created, as the cache knows them. */
  runsOf(schedule: VibeEnvironmentSchedule): VibeEnvironment[];
  writer: RunWriter;
  /** The zone of schedules that name none. */
  defaultTimeZone: string;
  now?: () => number;
}

type Ctx = HandlerContext<VibeEnvironmentSchedule>;

/** setTimeout cannot wait longer than about 24.8 days; a yearly schedule is rechecked daily. */
const MAX_REQUEUE_MS = 24 * 3_600_000;
/** Timers may fire a hair early; waking just after the scheduled time finds the run due at once. */
const REQUEUE_SLACK_MS = 100;

/**
 * One level-triggered handler: from the schedule, its status and the runs
 * in the cache it prunes history, starts the run that is due (if the
 * concurrency policy lets it), reports missed runs and asks to be woken at
 * the next scheduled time. With nothing due it writes nothing.
 */
export function scheduleHandlers(deps: ScheduleHandlerDeps): Handlers<VibeEnvironmentSchedule> {
  const clock = deps.now ?? Date.now;

  const reconcile = async (ctx: Ctx) => {
    const schedule = ctx.object;
    const { spec } = schedule;
    const now = new Date(clock());
    const ready = (status: 'True' | 'False', reason: string, message: string) => {
      ctx.status.conditions = setCondition(
        ctx.status.conditions,
        { type: 'Ready', status, reason, message, observedGeneration: schedule.metadata.generation ?? 0 },
        now,
      );
    };

    const runs = new Map(deps.runsOf(schedule).map((env) => [env.metadata.name, toRun(env)]));
    try {
      assertNameFits(schedule);
      const cron = parseCron(
        spec.schedule,
        spec.timeZone || deps.defaultTimeZone,
        `${schedule.metadata.namespace}/${schedule.metadata.name}`,
      );
      await pruneHistory(ctx, deps.writer, runs);
      if (spec.suspend) {
        ready('True', 'Suspended', 'spec.suspend is true: no runs start; the environments alive stay.');
      } else {
        const since = ctx.status.lastScheduleTime ?? schedule.metadata.creationTimestamp;
        const decision = dueRun(cron, {
          since: since ? new Date(since) : now,
          now,
          ...(spec.startingDeadlineSeconds === undefined
            ? {}
            : { startingDeadlineSeconds: spec.startingDeadlineSeconds }),
        });
        // Asked before starting the run, so a run that cannot start is retried no later than the next time.
        if (decision.next) {
          ctx.requeueAfter(
            Math.min(decision.next.getTime() - now.getTime() + REQUEUE_SLACK_MS, MAX_REQUEUE_MS),
          );
        }
        ready(
          'True',
          'Scheduled',
          decision.next
            ? `The next run is at ${rfc3339(decision.next)} (${spec.schedule} in ${cron.timeZone}).`
            : `${spec.schedule} in ${cron.timeZone} has no further run.`,
        );
        await startDueRun(ctx, deps.writer, decision, runs);
      }
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      ready('False', err.reason, err.message);
      await ctx.event('Warning', err.reason, err.message);
    }
    writeRunStatus(ctx, [...runs.values()]);
  };

  return new Handlers<VibeEnvironmentSchedule>().onReconcile('schedule', reconcile);
}

/** Deletes the finished runs past their history limits, each with an event naming the limit. */
async function pruneHistory(ctx: Ctx, writer: RunWriter, runs: Map<string, Run>): Promise<void> {
  const { spec, metadata } = ctx.object;
  for (const run of runsToPrune([...runs.values()], spec)) {
    await writer.delete(metadata.namespace, run);
    const [limit, value] =
      run.state === 'succeeded'
        ? ['successfulHistoryLimit', spec.successfulHistoryLimit]
        : ['failedHistoryLimit', spec.failedHistoryLimit];
    runs.set(run.name, { ...run, state: 'deleting' });
    await ctx.event(
      'Normal',
      'DeletedFinishedRun',
      `Deleted ${run.name}: ${limit} keeps the newest ${value} ${run.state === 'succeeded' ? 'successful' : 'failed'} runs.`,
    );
  }
}

/**
 * Starts the run that is due, as the concurrency policy allows (waiting for, or replacing, the
 * runs still active), and says in events what was skipped, waited for, replaced and created.
 */
async function startDueRun(
  ctx: Ctx,
  writer: RunWriter,
  decision: DueRun,
  runs: Map<string, Run>,
): Promise<void> {
  const schedule = ctx.object;
  const { spec, metadata } = schedule;
  const missed = `${decision.missedAtLeast ? 'at least ' : ''}${decision.missed} run${decision.missed === 1 ? '' : 's'}`;
  if (decision.tooLate) {
    await ctx.event(
      'Warning',
      'MissedStartingDeadline',
      `Skipped ${missed}: the latest, scheduled for ${rfc3339(decision.tooLate)}, is more than startingDeadlineSeconds (${spec.startingDeadlineSeconds}) late.${decision.next ? ` The next run is at ${rfc3339(decision.next)}.` : ''}`,
    );
    return;
  }
  if (!decision.due) return;
  const concurrency = decideConcurrency(spec.concurrencyPolicy, [...runs.values()]);
  if (concurrency.action === 'wait') {
    await ctx.event(
      'Normal',
      'RunWaiting',
      `The run scheduled for ${rfc3339(decision.due)} waits: ${names(concurrency.blockers)} still running and concurrencyPolicy is Forbid.`,
    );
    return;
  }
  if (concurrency.action === 'replace') {
    for (const run of concurrency.replaced) {
      await writer.delete(metadata.namespace, run);
      runs.set(run.name, { ...run, state: 'deleting' });
    }
    await ctx.event(
      'Normal',
      'ReplacedRuns',
      `Deleted ${names(concurrency.replaced)} to make way for the run scheduled for ${rfc3339(decision.due)} (concurrencyPolicy Replace).`,
    );
  }
  const created = await writer.create(schedule, decision.due);
  runs.set(created.metadata.name, toRun(created));
  ctx.status.lastScheduleTime = rfc3339(decision.due);
  await ctx.event(
    'Normal',
    'CreatedRun',
    `Created ${created.metadata.name} for the run scheduled at ${rfc3339(decision.due)}.`,
  );
  if (decision.missed > 0) {
    await ctx.event(
      'Warning',
      'MissedRuns',
      `Skipped ${missed} scheduled after ${ctx.object.status?.lastScheduleTime ?? metadata.creationTimestamp} and before ${rfc3339(decision.due)}; only the latest was started.`,
    );
  }
}

function writeRunStatus(ctx: Ctx, runs: Run[]): void {
  const active = runs
    .filter((r) => r.state === 'active')
    .sort(byScheduledTime)
    .map((r) => ({ name: r.name, ...(r.uid ? { uid: r.uid } : {}) }));
  if (active.length > 0) ctx.status.active = active;
  else delete ctx.status.active;
  const success = latestSuccess(runs);
  const recorded = Date.parse(ctx.status.lastSuccessfulTime ?? '');
  if (success && !(recorded >= success.getTime())) ctx.status.lastSuccessfulTime = rfc3339(success);
}

function names(runs: Run[]): string {
  const list = runs.map((r) => r.name).join(', ');
  return runs.length === 1 ? `${list} is` : `${list} are`;
}
