/**
 * The one place the Backstage packages reach the operator's environment client, so that a move of the
 * operator's sources changes one import.
 */
export {
  ClientError,
  EnvironmentClient,
  connect,
  loadKubeConfig,
  nameFromIntent,
  type Attempt,
  type Environment,
  type LogLine,
} from '../../../../operator/src/client/index.js';
