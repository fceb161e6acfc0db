import http from 'node:http';

/**
 * The local cluster's ingress controller, Traefik (test/cluster/lib/ingress.sh): where previews
 * answer from the host and the operator flags that route through it.
 */

/** Traefik's hostPort on the node's veth address; VIBE_INGRESS_ADDRESS moves it. */
export function ingressUrl(): string {
  return `http://${ingressAddress()}/`;
}

/** Traefik's HOST:PORT, with the port always written (a URL leaves out port 80). */
export function ingressAddress(): string {
  return process.env.VIBE_INGRESS_ADDRESS ?? '10.250.0.2:80';
}

/** The Gateway cluster-up creates for previews; its listener admits routes from environment namespaces. */
export const PREVIEW_GATEWAY = { namespace: 'traefik', name: 'preview', sectionName: 'http' } as const;

/** Lets Traefik's pods into environment namespaces, to the pods a preview exposes. */
export const CONTROLLER_FLAGS = [
  '--preview-controller-namespace',
  'traefik',
  '--preview-controller-labels',
  'app.kubernetes.io/name=traefik',
];

/**
 * Whether Traefik sends `host` to the operator's activator yet (ADR 0096): a request marked as a hop
 * is answered at once by the activator with vibe-activator-looped, waking nothing.
 */
export function routedToActivator(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(ingressUrl(), { headers: { host, 'vibe-activator-hop': '1' }, timeout: 5000 }, (res) => {
        res.resume();
        resolve(res.headers['vibe-activator-looped'] !== undefined);
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy();
      })
      .on('error', () => resolve(false));
  });
}
