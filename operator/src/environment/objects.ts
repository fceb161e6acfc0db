/**
 * What every room of the environment speaks: the manifests a plan holds and the references to the
 * objects it applied. The rooms (planning, cluster, readiness, preview) import these from here,
 * downward, never from each other for them.
 */

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}
