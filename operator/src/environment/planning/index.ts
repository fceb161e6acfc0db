export { AgentPlanner } from './agent-planner.js';
export { AttemptStore, type StoredAttempt, type StoredPlan } from './attempt-store.js';
export { type ChecksFor, planChecks } from './plan-checks.js';
export { planStatus, summarizePlan } from './plan-summary.js';
export { builtInPlanner, loadPlannerModule, type Plan, PlanFailedError, type Planner } from './planner.js';
export { spendingOf, usageStatus } from './usage.js';
export type { PlanSettings } from './plan-settings.js';
export { uncheckedPlanError } from './checked-plan.js';
