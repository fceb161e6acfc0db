/**
 * The routes the entity card calls. Every route asks the permission framework first, then calls the
 * environment client, which acts as the backend's configured Kubernetes user.
 *
 *   GET    /entities/:kind/:namespace/:name/environments  the entity's environments (its annotation)
 *   GET    /environments/:namespace/:name                  one environment
 *   GET    /environments/:namespace/:name/attempts         every plan tried: script, diagnostics, usage
 *   GET    /environments/:namespace/:name/logs?tailLines=  the latest workload log lines
 *   POST   /environments/:namespace/:name/extend {by}      let it live longer
 *   DELETE /environments/:namespace/:name                  delete it
 */
import type { HttpAuthService, PermissionsService, RootConfigService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult, type BasicPermission } from '@backstage/plugin-permission-common';
import {
  ENVIRONMENTS_ANNOTATION,
  parseEnvironmentsAnnotation,
  vibeEnvironmentDeletePermission,
  vibeEnvironmentExtendPermission,
  vibeEnvironmentReadPermission,
} from '@vibe-operator/plugin-vibe-common';
import type { EnvironmentClient } from '@vibe-operator/plugin-vibe-node';
import express, { type Request } from 'express';
import Router from 'express-promise-router';
import { backstageError } from './errors.js';

export interface RouterOptions {
  client: EnvironmentClient;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  config: RootConfigService;
}

export function createRouter({
  client,
  catalog,
  httpAuth,
  permissions,
  config,
}: RouterOptions): express.Router {
  const maxLogLines = config.getOptionalNumber('vibe.maxLogLines') ?? 500;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  const authorize = async (req: Request, permission: BasicPermission) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], { credentials });
    if (decision?.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `the permission policy denies ${permission.name}; ask a Backstage administrator to allow it for you.`,
      );
    }
    return credentials;
  };
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw backstageError(error);
    }
  };
  const target = (req: Request) => ({
    namespace: String(req.params.namespace),
    name: String(req.params.name),
  });

  router.get('/entities/:kind/:namespace/:name/environments', async (req, res) => {
    const credentials = await authorize(req, vibeEnvironmentReadPermission);
    const ref = {
      kind: String(req.params.kind),
      namespace: String(req.params.namespace),
      name: String(req.params.name),
    };
    const entity = await catalog.getEntityByRef(ref, { credentials });
    const refText = `${ref.kind}:${ref.namespace}/${ref.name}`;
    if (!entity) throw new NotFoundError(`the catalog has no entity ${refText}.`);
    const annotation = entity.metadata.annotations?.[ENVIRONMENTS_ANNOTATION];
    if (!annotation) {
      throw new NotFoundError(
        `${refText} has no ${ENVIRONMENTS_ANNOTATION} annotation; add one naming the namespace (and name prefix) of its environments, e.g. "team-a/web-".`,
      );
    }
    const selector = parseEnvironmentsAnnotation(annotation);
    if (selector instanceof Error) throw new InputError(`${refText}: ${selector.message}`);
    const { items } = await call(() => client.list({ namespace: selector.namespace }));
    res.json({ selector, items: items.filter((env) => env.name.startsWith(selector.prefix)) });
  });

  router.get('/environments/:namespace/:name', async (req, res) => {
    await authorize(req, vibeEnvironmentReadPermission);
    res.json(await call(() => client.call('get', target(req))));
  });

  router.get('/environments/:namespace/:name/attempts', async (req, res) => {
    await authorize(req, vibeEnvironmentReadPermission);
    res.json(await call(() => client.call('attempts', target(req))));
  });

  router.get('/environments/:namespace/:name/logs', async (req, res) => {
    await authorize(req, vibeEnvironmentReadPermission);
    const tailLines = req.query.tailLines === undefined ? 100 : Number(req.query.tailLines);
    if (!Number.isInteger(tailLines) || tailLines < 1 || tailLines > maxLogLines) {
      throw new InputError(`tailLines must be a whole number from 1 to ${maxLogLines} (vibe.maxLogLines).`);
    }
    res.json(await call(() => client.call('logs', { ...target(req), tailLines })));
  });

  router.post('/environments/:namespace/:name/extend', async (req, res) => {
    await authorize(req, vibeEnvironmentExtendPermission);
    const by: unknown = req.body?.by;
    if (typeof by !== 'string') throw new InputError('the body must be {"by": DURATION}, e.g. {"by": "2h"}.');
    res.json(await call(() => client.call('extend', { ...target(req), by })));
  });

  router.delete('/environments/:namespace/:name', async (req, res) => {
    await authorize(req, vibeEnvironmentDeletePermission);
    res.json(await call(() => client.call('delete', target(req))));
  });

  return router;
}
