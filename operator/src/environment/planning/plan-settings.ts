import type { IsolationSettings } from '../cluster/index.js';
import type { PreviewSettings } from '../preview/index.js';
import type { ImageMirror } from './plan-summary.js';

/**
 * What planning reads of the operator's settings: where previews go, the isolation a plan is
 * checked against, and the image rewrites. The lifecycle's settings extend this.
 */
export interface PlanSettings {
  preview: PreviewSettings;
  isolation: IsolationSettings;
  /** Image prefixes the node holds without a registry (e.g. `localhost/`): never pulled. */
  nodeImagePrefixes: readonly string[];
  /** Image prefixes rewritten to a mirror after planning. */
  imageMirrors: readonly ImageMirror[];
}
