/**
 * Planning: the planner contract and the Code Mode agent planner, the attempt and plan records, the
 * checks and rewrites a plan passes, its summary and token usage. Imports cluster/, readiness/,
 * preview/ and ../objects.ts, never the lifecycle above it.
 */
export { AgentPlanner } from './agent-planner.js';
export { AttemptStore, type StoredAttempt, type StoredPlan } from './attempt-store.js';
export { uncheckedPlanError } from './checked-plan.js';
export { type ChecksFor, planChecks } from './plan-checks.js';
export type { PlanSettings } from './plan-settings.js';
export { planStatus, summarizePlan } from './plan-summary.js';
export { builtInPlanner, loadPlannerModule, type Plan, PlanFailedError, type Planner } from './planner.js';
export { spendingOf, usageStatus } from './usage.js';
