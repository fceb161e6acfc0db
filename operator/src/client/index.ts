/**
 * The environment client's public surface: what the CLI, the MCP server and the Backstage plugins may
 * import. Everything else in this folder is its inside.
 */
export { EnvironmentClient, type WatchEvent } from './environment-client.js';
export { connect, loadKubeConfig } from './connect.js';
export { ClientError, type ClientErrorCode } from './errors.js';
export { nameFromIntent } from './names.js';
export {
  environmentSchema,
  operations,
  type Attempt,
  type Environment,
  type EnvironmentEvent,
  type InputOf,
  type LogLine,
  type OperationName,
  type OutputOf,
} from './schemas.js';
