/**
 * The environment client as a Backstage service: one connection per plugin, made from the `vibe`
 * config keys, closed when the backend shuts down.
 */
import { coreServices, createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { connect, loadKubeConfig, type EnvironmentClient } from './environment-client.js';

export interface VibeClientService {
  /** The environment client acting as the configured kubeconfig's user. */
  readonly client: EnvironmentClient;
}

export const vibeClientServiceRef = createServiceRef<VibeClientService>({
  id: 'vibe.client',
  scope: 'plugin',
  defaultFactory: async (service) =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, lifecycle: coreServices.lifecycle },
      factory: ({ config, lifecycle }) => {
        const service = vibeClientFromConfig(config);
        lifecycle.addShutdownHook(() => service.close());
        return service;
      },
    }),
});

/** A client for the `vibe` keys of config; close() ends its connections. */
export function vibeClientFromConfig(config: Config): VibeClientService & { close(): void } {
  const vibe = config.getOptionalConfig('vibe');
  const kc = loadKubeConfig(vibe?.getOptionalString('kubeconfig'), vibe?.getOptionalString('context'));
  const { client, kube } = connect(kc, undefined, vibe?.getOptionalString('namespace'));
  return { client, close: () => kube.close() };
}
