/**
 * The local cluster's NetworkPolicy enforcer, started by test/cluster/up.sh like the cluster's other
 * components: it writes the nftables table in the node's network namespace and answers
 * GET /healthz on loopback. Leaving, it keeps the table in place, as a CNI keeps its rules when its
 * agent restarts; deleting the namespace (make cluster-down) removes it.
 *
 *   node --import tsx test/cluster/netpol/main.ts --kubeconfig FILE --netns vibe-node \
 *     --node-address 10.250.0.1 [--node-address ...] [--healthz-port 10266]
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../../operator/src/reconciler/kube-client.js';
import { createLogger } from '../../../operator/src/reconciler/logger.js';
import { Enforcer } from './enforcer.js';
import { NetpolError } from './errors.js';
import { parseIPv4 } from './ipv4.js';
import { replaceTable, tableExists } from './nft.js';

const TABLE = 'vibe-netpol';
/** Long enough to fold a pod's burst of status updates into one write, short against pod start-up. */
const DEBOUNCE_MS = 50;
const CHECK_TABLE_EVERY_MS = 5_000;

interface Options {
  kubeconfig: string;
  netns: string;
  nodeAddresses: string[];
  healthzPort: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      netns: { type: 'string' },
      'node-address': { type: 'string', multiple: true },
      'healthz-port': { type: 'string', default: '10266' },
    },
  });
  const bad = (message: string) => new NetpolError('VIBE_NETPOL_BAD_ARGUMENT', message);
  if (!values.kubeconfig) throw bad('--kubeconfig is required: the admin kubeconfig of the cluster.');
  if (!values.netns) throw bad('--netns is required: the network namespace the pods live in.');
  const nodeAddresses = values['node-address'] ?? [];
  const notIPv4 = nodeAddresses.filter((a) => parseIPv4(a) === undefined);
  if (notIPv4.length > 0) throw bad(`--node-address takes IPv4 addresses, not ${notIPv4.join(', ')}.`);
  const healthzPort = Number(values['healthz-port']);
  if (!Number.isInteger(healthzPort) || healthzPort < 1 || healthzPort > 65535)
    throw bad(`--healthz-port must be a TCP port, not ${values['healthz-port']}.`);
  return { kubeconfig: values.kubeconfig, netns: values.netns, nodeAddresses, healthzPort };
}

async function main(): Promise<void> {
  const logger = createLogger('info').child({ component: 'netpol' });
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    logger.fatal({ code: (err as NetpolError).code, err: (err as Error).message }, 'bad arguments');
    process.exitCode = 2;
    return;
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(options.kubeconfig);
  const enforcer = new Enforcer({
    client: new KubeClient(kubeConfig),
    logger,
    ruleset: { table: TABLE, nodeAddresses: options.nodeAddresses },
    apply: (ruleset) => replaceTable(ruleset, { netns: options.netns, table: TABLE }),
    debounceMs: DEBOUNCE_MS,
    tableExists: () => tableExists({ netns: options.netns, table: TABLE }),
    checkEveryMs: CHECK_TABLE_EVERY_MS,
  });
  const healthz = http.createServer((req, res) => {
    const { healthy, detail } = enforcer.health();
    res.writeHead(req.url === '/healthz' ? (healthy ? 200 : 503) : 404, { 'content-type': 'text/plain' });
    res.end(req.url === '/healthz' ? `${detail}\n` : 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    healthz.once('error', reject);
    healthz.listen(options.healthzPort, '127.0.0.1', resolve);
  });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping; the table stays in place');
    healthz.close();
    await enforcer.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  logger.info({ netns: options.netns, table: TABLE, nodeAddresses: options.nodeAddresses }, 'starting');
  await enforcer.start();
}

await main();
