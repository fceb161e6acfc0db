/** The classic MCP tool of each client operation: its name, and the hints an assistant shows its user. */
import type { OperationName } from '../client/schemas.js';

export const TOOL_NAMES: Record<OperationName, string> = {
  create: 'create_environment',
  list: 'list_environments',
  get: 'get_environment',
  wait: 'wait_for_environment',
  extend: 'extend_environment',
  approve: 'approve_plan',
  sleep: 'sleep_environment',
  wake: 'wake_environment',
  delete: 'delete_environment',
  attempts: 'list_attempts',
  logs: 'read_logs',
  events: 'list_events',
};
