/** Services: a stable name for the environment's own pods, reachable inside the cluster only. */
import { anyString, bool, fields, forbid, int, list, mapOf, oneOf, port, type Rule } from './rules.js';

const type: Rule = (value, at, c) => {
  const allowed: readonly string[] = c.input.policy.serviceTypes;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    c.report(
      'VIBE_POLICY_SERVICE_TYPE',
      at,
      `Service type ${String(value)} is not allowed.`,
      `use ${allowed.join(' or ')}; public traffic goes through an Ingress.`,
    );
  }
};

/** Fields that only make sense when the policy lets Services out of the cluster. */
const outside =
  (field: string, inner: Rule): Rule =>
  (value, at, c) => {
    if (c.input.policy.serviceTypes.some((t) => t !== 'ClusterIP')) return inner(value, at, c);
    c.report(
      'VIBE_POLICY_SERVICE_EXPOSURE',
      at,
      `sets ${field}, which exposes the Service outside the cluster.`,
      `remove ${field}; Services are ClusterIP only.`,
    );
  };

const clusterIP = oneOf(
  ['None', ''],
  'VIBE_POLICY_CLUSTER_IP',
  'leave clusterIP out (or "None" for a headless Service); the cluster picks the address.',
);

export const serviceSpec = fields({
  type,
  selector: mapOf(anyString, 32),
  ports: list(
    fields({
      name: anyString,
      protocol: oneOf(['TCP', 'UDP', 'SCTP']),
      port: int(1, 65535),
      targetPort: port,
      appProtocol: anyString,
      nodePort: outside('nodePort', int(30000, 32767)),
    }),
    64,
  ),
  clusterIP,
  clusterIPs: list(clusterIP, 2),
  externalIPs: list(
    forbid('VIBE_POLICY_EXTERNAL_IPS', 'claims an external IP address.', 'remove spec.externalIPs.'),
    64,
  ),
  externalName: forbid(
    'VIBE_POLICY_SERVICE_TYPE',
    'points the Service at a name outside the environment.',
    "remove externalName; Services select the environment's pods.",
  ),
  loadBalancerIP: outside('loadBalancerIP', anyString),
  loadBalancerSourceRanges: outside('loadBalancerSourceRanges', list(anyString, 32)),
  loadBalancerClass: outside('loadBalancerClass', anyString),
  allocateLoadBalancerNodePorts: outside('allocateLoadBalancerNodePorts', bool),
  healthCheckNodePort: outside('healthCheckNodePort', int(30000, 32767)),
  externalTrafficPolicy: outside('externalTrafficPolicy', oneOf(['Cluster', 'Local'])),
  sessionAffinity: oneOf(['None', 'ClientIP']),
  sessionAffinityConfig: fields({ clientIP: fields({ timeoutSeconds: int(1, 86400) }) }),
  publishNotReadyAddresses: bool,
  ipFamilies: list(oneOf(['IPv4', 'IPv6']), 2),
  ipFamilyPolicy: oneOf(['SingleStack', 'PreferDualStack', 'RequireDualStack']),
  internalTrafficPolicy: oneOf(['Cluster', 'Local']),
  trafficDistribution: anyString,
});
