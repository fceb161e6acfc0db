import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The controller's metrics under the names controller-runtime and client-go
 * use, so existing dashboards and alerts work unchanged.
 */
export interface ControllerMetrics {
  reconcileTotal: Counter<'controller' | 'result'>;
  reconcileErrors: Counter<'controller'>;
  reconcileTime: Histogram<'controller'>;
  activeWorkers: Gauge<'controller'>;
  queueDepth: Gauge<'name'>;
  queueAdds: Counter<'name'>;
  queueDuration: Histogram<'name'>;
  workDuration: Histogram<'name'>;
  queueRetries: Counter<'name'>;
  restRequests: Counter<'code' | 'method' | 'host'>;
  restRequestsByResource: Counter<'verb' | 'resource'>;
  watchErrors: Counter<'resource' | 'reason'>;
  watchEvents: Counter<'resource' | 'type'>;
  relists: Counter<'resource'>;
  handlerErrors: Counter<'controller' | 'handler' | 'kind'>;
  /** Reconciles that began while the same key was still being reconciled: must stay 0. */
  overlaps: Counter<'controller'>;
  leader: Gauge<'name'>;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createControllerMetrics(registry: Registry): ControllerMetrics {
  const registers = [registry];
  return {
    ...reconcileMetrics(registers),
    ...workqueueMetrics(registers),
    ...apiMetrics(registers),
    handlerErrors: new Counter({
      name: 'vibe_handler_errors_total',
      help: 'Handler failures by controller, handler and kind (temporary, permanent, timeout, unexpected).',
      labelNames: ['controller', 'handler', 'kind'],
      registers,
    }),
    overlaps: new Counter({
      name: 'vibe_reconcile_overlaps_total',
      help: 'Reconciles that began while another worker still reconciled the same object (a bug if ever above 0).',
      labelNames: ['controller'],
      registers,
    }),
    leader: new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
      labelNames: ['name'],
      registers,
    }),
  };
}

/** controller-runtime's: reconciles by controller and result, their time, the workers busy. */
function reconcileMetrics(
  registers: Registry[],
): Pick<ControllerMetrics, 'reconcileTotal' | 'reconcileErrors' | 'reconcileTime' | 'activeWorkers'> {
  return {
    reconcileTotal: new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller and result.',
      labelNames: ['controller', 'result'],
      registers,
    }),
    reconcileErrors: new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller.',
      labelNames: ['controller'],
      registers,
    }),
    reconcileTime: new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller.',
      labelNames: ['controller'],
      buckets: SECONDS,
      registers,
    }),
    activeWorkers: new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller.',
      labelNames: ['controller'],
      registers,
    }),
  };
}

/** client-go's work queue: depth, adds, time queued and worked, retries. */
function workqueueMetrics(
  registers: Registry[],
): Pick<ControllerMetrics, 'queueDepth' | 'queueAdds' | 'queueDuration' | 'workDuration' | 'queueRetries'> {
  return {
    queueDepth: new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue.',
      labelNames: ['name'],
      registers,
    }),
    queueAdds: new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue.',
      labelNames: ['name'],
      registers,
    }),
    queueDuration: new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested.',
      labelNames: ['name'],
      buckets: [0.001, ...SECONDS],
      registers,
    }),
    workDuration: new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames: ['name'],
      buckets: SECONDS,
      registers,
    }),
    queueRetries: new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue.',
      labelNames: ['name'],
      registers,
    }),
  };
}

/** The API server as the client sees it: requests, and the watches and lists of the informers. */
function apiMetrics(
  registers: Registry[],
): Pick<
  ControllerMetrics,
  'restRequests' | 'restRequestsByResource' | 'watchErrors' | 'watchEvents' | 'relists'
> {
  return {
    restRequests: new Counter({
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests, partitioned by status code, method, and host.',
      labelNames: ['code', 'method', 'host'],
      registers,
    }),
    restRequestsByResource: new Counter({
      name: 'vibe_rest_client_requests_by_resource_total',
      help: 'HTTP requests by the API server verb and resource (with subresource) they were for.',
      labelNames: ['verb', 'resource'],
      registers,
    }),
    watchErrors: new Counter({
      name: 'vibe_watch_errors_total',
      help: 'Watch failures by resource and reason (gone, http, connection, malformed, inactive).',
      labelNames: ['resource', 'reason'],
      registers,
    }),
    watchEvents: new Counter({
      name: 'vibe_watch_events_total',
      help: 'Watch events received by resource and type.',
      labelNames: ['resource', 'type'],
      registers,
    }),
    relists: new Counter({
      name: 'vibe_informer_lists_total',
      help: 'Full lists (initial, after 410 Gone, after a malformed event, periodic) by resource.',
      labelNames: ['resource'],
      registers,
    }),
  };
}
