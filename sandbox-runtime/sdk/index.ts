/** `@vibe/sdk`: the only module a script may import. */
export { webService, worker, cronJob, staticSite } from './workloads.js';
export {
  postgres,
  mysql,
  mariadb,
  mongodb,
  redis,
  valkey,
  memcached,
  rabbitmq,
  kafka,
  nats,
  objectStore,
} from './backing.js';
export { apiObject } from './api-object.js';
export type { Ref } from './schemas.js';
