export { evaluatePolicy, type PolicyContext, type PolicyResult } from './evaluate.js';
export { DEFAULT_POLICY, PolicyDocument, POLICY_API_VERSION, policySummary } from './document.js';
export { loadPolicyFile, PolicyFileError } from './policy-file.js';
export { describeViolation, type Violation } from './violation.js';
export { GATEWAY_API_GROUP, type GatewayParent } from './route-rules.js';
export {
  DEFAULT_WORKLOAD_SERVICE_ACCOUNT,
  gateInput,
  type EnvironmentQuota,
  type GateInput,
  type PreviewContext,
} from './context.js';
export { inspect, type Unreadable } from './inspect.js';
