/**
 * Whether an environment should sleep now: a pure function of the times things happened. Every
 * sleep cause and every wake cause is an event in time, and the latest event wins:
 *   sleep events: `vibe sleep` (Requested), a window's sleep time (Schedule), and the idle deadline
 *                 (the latest wake event plus afterIdle: Idle);
 *   wake events:  `vibe wake` or the activator, a window's wake time, a request through the
 *                 preview, the environment becoming Ready, and the operator starting (so a restart
 *                 never sleeps an environment whose last request it did not see).
 */
export type SleepReason = 'Idle' | 'Schedule' | 'Requested';

export interface SleepInputs {
  now: number;
  afterIdleMs?: number;
  /** The annotations vibe.dev/sleep and vibe.dev/wake, as times. */
  sleepRequested?: number;
  wakeRequested?: number;
  /** The latest sleep and wake times of the windows at or before now, and the first transition after now. */
  windows: WindowTimes;
  /** Requests through the preview, becoming Ready, the operator's start: each keeps it awake. */
  activity: readonly (number | undefined)[];
}

export interface WindowTimes {
  lastSleep?: number;
  lastWake?: number;
  next?: number;
}

export interface SleepDecision {
  asleep: boolean;
  /** Why it sleeps, and since when (the winning sleep event). */
  reason?: SleepReason;
  since?: number;
  /** When the answer may change without any new event: the idle deadline or a window's next time. */
  recheckAt?: number;
}

export function decideSleep(input: SleepInputs): SleepDecision {
  const latestWake = latest([input.wakeRequested, input.windows.lastWake, ...input.activity]);
  const idleAt =
    input.afterIdleMs !== undefined && latestWake !== undefined ? latestWake + input.afterIdleMs : undefined;
  const sleeps: [SleepReason, number | undefined][] = [
    ['Requested', input.sleepRequested],
    ['Schedule', input.windows.lastSleep],
    ['Idle', idleAt !== undefined && idleAt <= input.now ? idleAt : undefined],
  ];
  let winner: [SleepReason, number] | undefined;
  for (const [reason, at] of sleeps) {
    if (at === undefined || at > input.now) continue;
    if (!winner || at > winner[1]) winner = [reason, at];
  }
  const recheckAt = earliest([
    idleAt !== undefined && idleAt > input.now ? idleAt : undefined,
    input.windows.next,
  ]);
  if (winner && (latestWake === undefined || winner[1] > latestWake)) {
    return { asleep: true, reason: winner[0], since: winner[1], recheckAt };
  }
  return { asleep: false, recheckAt };
}

function latest(times: readonly (number | undefined)[]): number | undefined {
  let found: number | undefined;
  for (const t of times)
    if (t !== undefined && Number.isFinite(t) && (found === undefined || t > found)) found = t;
  return found;
}

function earliest(times: readonly (number | undefined)[]): number | undefined {
  let found: number | undefined;
  for (const t of times) if (t !== undefined && (found === undefined || t < found)) found = t;
  return found;
}
