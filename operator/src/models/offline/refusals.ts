/**
 * Asks that reach outside one environment's namespace. They are refused before anything is planned:
 * the planner never drops part of an intent silently, and the policy gate would refuse them anyway.
 */

interface OutOfBounds {
  readonly pattern: RegExp;
  readonly what: string;
}

const OUT_OF_BOUNDS: readonly OutOfBounds[] = [
  { pattern: /\bcluster[-\s]?admin\b/i, what: 'cluster-wide administrator rights' },
  { pattern: /\bcluster\s*roles?(?:\s*bindings?)?\b/i, what: 'cluster-wide RBAC' },
  {
    pattern:
      /\b(?:every|all)\s+(?:the\s+)?(?:service\s*accounts?|users?|namespaces?|nodes?|pods?|secrets?)\s+(?:in|across|on)\s+(?:the\s+)?(?:whole\s+)?cluster\b/i,
    what: 'objects across the whole cluster',
  },
  {
    pattern:
      /\b(?:all|every|other|another|different)\s+namespaces?\b|\bcluster[-\s]wide\b|\bacross\s+(?:the\s+)?cluster\b/i,
    what: 'objects outside the environment’s namespace',
  },
  { pattern: /\bkube-(?:system|public|node-lease)\b/i, what: 'a system namespace' },
  {
    pattern:
      /\b(?:in|into|to|from)\s+(?:the\s+)?(?!(?:its|my|their|our|a|an|own|new|isolated|separate|dedicated|same|current|this|environment|environments)\b)[\w-]+\s+namespace\b/i,
    what: 'a namespace other than the environment’s own',
  },
  {
    pattern:
      /\b(?:delete|remove|drop|wipe|destroy|kill|drain|cordon|evict|purge)\w*\s+(?:\w+\s+){0,3}?(?:nodes?|namespaces?|clusters?|crds?|system\s+\w+|kube-\w+|control[-\s]plane|etcd|api[-\s]?server|persistent\s*volumes?|storage\s*class\w*)\b/i,
    what: 'deleting objects outside the environment',
  },
  {
    pattern:
      /\b(?:rbac|role\s*bindings?|roles?\s+with\s+\w+\s+(?:access|permissions?)|(?:admin|root)\s+(?:rights|access|permissions?)\s+(?:to|on|over)\s+the\s+cluster)\b/i,
    what: 'RBAC, which the operator manages itself',
  },
  {
    pattern:
      /\b(?:custom\s+resource\s+definitions?|crds?|(?:mutating|validating)?\s*admission\s+webhooks?|(?:mutating|validating)webhookconfigurations?|apiservices?)\b/i,
    what: 'cluster-scoped API extensions',
  },
  {
    pattern:
      /\b(?:privileged|host\s*network|hostnetwork|host\s*pid|hostpid|host\s*ipc|hostipc|host\s*path|hostpath|host\s*ports?|hostport)\b/i,
    what: 'access to the host',
  },
  {
    pattern:
      /\b(?:docker\.sock|containerd\.sock|\/var\/run\/\w+\.sock|the\s+node['’]?s?\s+(?:file\s*system|disk|root))\b/i,
    what: 'access to the host',
  },
  {
    pattern:
      /\b(?:as|with)\s+root\b(?!\s+(?:path|dir|directory|url|folder|of|page|domain))|\broot\s+user\b|\bcap_sys_admin\b|\bsys_admin\b|\bnet_admin\b/i,
    what: 'running as root or with extra capabilities',
  },
  { pattern: /\bnode\s*ports?\b/i, what: 'a port opened on every node' },
  {
    pattern:
      /\b(?:permissions?|access|rights|allowed|able)\s+to\s+(?:list|get|watch|read|create|delete|modify|edit|patch|update|scale|exec)\s+(?:\w+\s+){0,2}?(?:nodes?|pods?|secrets?|namespaces?|deployments?|services?|configmaps?|resources|objects|events)\b/i,
    what: 'Kubernetes API permissions, which the operator manages itself',
  },
  {
    pattern: /\bdocker\s+daemon\b|\bssh\s+(?:in)?to\s+(?:the\s+)?(?:nodes?|hosts?)\b/i,
    what: 'access to the host',
  },
  {
    pattern: /\b(?:create|make|add|provision)\s+(?:a\s+|an\s+|another\s+|new\s+|extra\s+)*namespaces?\b/i,
    what: 'a new namespace',
  },
  { pattern: /\b(?:all|every)\s+(?:the\s+)?secrets\b/i, what: 'credentials outside the environment' },
  {
    pattern:
      /\bdocker\s+socket\b|\bmount\w*\s+\/\S*\s+from\s+the\s+(?:node|host)\b|\bfrom\s+the\s+host['’]?s?\s+(?:file\s*system|disk)\b/i,
    what: 'access to the host',
  },
  {
    pattern:
      /\b(?:install|deploy|set\s+up|run|add|create|upgrade)\s+(?:\w+\s+){0,3}?(?:ingress[-\s]controllers?|cert-manager|service\s+mesh|istio|linkerd)\b/i,
    what: 'cluster infrastructure',
  },
  {
    pattern:
      /\b(?:access|talk|calls?|permissions?|rights)\s+(?:\w+\s+){0,2}?(?:the\s+)?(?:kubernetes|k8s|cluster)\s*api\b|\bimpersonat\w+/i,
    what: 'access to the Kubernetes API',
  },
  {
    pattern:
      /\bservice\s*accounts?\b[\w\s]{0,40}?\b(?:can|able\s+to|allowed\s+to|permissions?|rights|access)\b/i,
    what: 'RBAC, which the operator manages itself',
  },
  { pattern: /\bdaemon\s*sets?\b|\bon\s+every\s+node\b/i, what: 'a workload on every node' },
  {
    pattern:
      /\b(?:create|add|define|install|make)\s+(?:a\s+|an\s+|new\s+)*(?:storage\s*class|persistent\s*volume(?!\s*claim)|priority\s*class|runtime\s*class|ingress\s*class)\b/i,
    what: 'cluster-scoped objects',
  },
  {
    pattern:
      /\b(?:disable|turn\s+off|remove|bypass)\s+(?:the\s+)?(?:network\s*polic(?:y|ies)|firewall|quota|limits|policy\s+gate|sandbox|pod\s*security)\b/i,
    what: 'switching off the environment’s guard rails',
  },
  {
    pattern: /\b(?:mine|mining)\s+(?:bitcoin|crypto\w*|monero|ethereum)\b|\bcrypto\s*min(?:er|ing)\b/i,
    what: 'cryptocurrency mining',
  },
  {
    pattern: /\b(?:service\s*account\s+tokens?|kubeconfig|secrets?\s+(?:of|from)\s+(?:other|all|every))\b/i,
    what: 'credentials outside the environment',
  },
];

export interface Refusal {
  readonly phrase: string;
  readonly message: string;
}

export function findRefusal(intent: string): Refusal | undefined {
  for (const { pattern, what } of OUT_OF_BOUNDS) {
    const m = pattern.exec(intent);
    if (!m) continue;
    const phrase = m[0].trim();
    return {
      phrase,
      message:
        `refused: "${phrase}" asks for ${what}, which is outside an environment. ` +
        'An environment can only hold workloads and their services in its own namespace.',
    };
  }
  return undefined;
}
