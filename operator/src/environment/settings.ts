import type { IsolationSettings } from './isolation.js';
import type { ImageMirror } from './plan-summary.js';
import type { PreviewSettings } from './preview.js';

/** The operator's configuration as the environment lifecycle reads it; built once in main.ts. */
export interface EnvironmentSettings {
  maxTtlMs: number;
  namespacePrefix: string;
  fieldManager: string;
  /** How long before expiresAt the Warning event is recorded. */
  expiryWarningMs: number;
  /**
   * How often a rollout in progress is checked again without a change of its workloads: their
   * watch wakes it for everything their status shows; this catches what only pods and events
   * show (a container crash-looping, a probe failing for longer than its grace).
   */
  rolloutPollMs: number;
  /** A namespace in Terminating longer than this is reported as stuck. */
  namespaceStuckAfterMs: number;
  preview: PreviewSettings;
  isolation: IsolationSettings;
  /** Image prefixes the node holds without a registry (e.g. `localhost/`): never pulled. */
  nodeImagePrefixes: readonly string[];
  /** Image prefixes rewritten to a mirror after planning. */
  imageMirrors: readonly ImageMirror[];
}
