import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient, type Identity } from '../reconciler/kube-client.js';
import { EnvironmentClient } from './environment-client.js';

/** The kubeconfig a user command runs with: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
export function loadKubeConfig(path?: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  if (context) kc.setCurrentContext(context);
  return kc;
}

/**
 * A client acting as the kubeconfig's user, or, with identity, as someone else the kubeconfig's user
 * may impersonate (the MCP server acting for a reviewed caller). Close its KubeClient when done.
 */
export function connect(
  kc: KubeConfig,
  identity?: Identity,
  namespace?: string,
): { client: EnvironmentClient; kube: KubeClient } {
  const kube = new KubeClient(kc, undefined, identity);
  const fallback = identity ? undefined : kc.getContextObject(kc.getCurrentContext())?.namespace;
  return { client: new EnvironmentClient(kube, namespace || fallback || 'default'), kube };
}
