export { vibeClientFromConfig, vibeClientServiceRef, type VibeClientService } from './service.js';
export {
  ClientError,
  EnvironmentClient,
  nameFromIntent,
  type Attempt,
  type Environment,
  type LogLine,
} from './environment-client.js';
