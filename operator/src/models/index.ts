/**
 * The model gateway's public surface. Other rooms import from here only, so the
 * files behind it can change shape without touching the agent.
 */
export type { SessionUsage } from './budget.js';
export { emptyUsage, sessionUsageSchema } from './budget.js';
export {
  modelGatewayConfigSchema,
  type Budget,
  type ModelGatewayConfig,
  type ModelGatewayConfigInput,
  type ProviderConfig,
} from './config.js';
export { createModelGateway, type GatewayDependencies } from './create-gateway.js';
export { gatewayConfigFromEnv } from './env-config.js';
export {
  AllProvidersFailedError,
  BudgetExhaustedError,
  ModelError,
  ModelProviderError,
  type ModelErrorCode,
} from './errors.js';
export { ModelGateway, ModelSession, type SessionOptions } from './gateway.js';
export { OfflinePlanRefusedError, type OfflinePlan, type OfflinePlanner } from './offline/provider.js';
export { compileIntent } from './offline/compile-intent.js';
export type { EnvironmentPlan } from './offline/plan.js';
export { Secret } from './secret.js';
export {
  addUsage,
  totalTokens,
  type CallOptions,
  type Message,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type PricedResponse,
  type ProviderKind,
  type StopReason,
  type TokenUsage,
  type ToolCall,
  type ToolDefinition,
} from './types.js';
