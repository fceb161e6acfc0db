export interface Config {
  /** How the vibe backend plugin and scaffolder module reach the cluster. */
  vibe?: {
    /**
     * The kubeconfig file the backend acts with. When omitted: $KUBECONFIG, else ~/.kube/config,
     * else the in-cluster ServiceAccount.
     */
    kubeconfig?: string;
    /** The kubeconfig context to use; its current context when omitted. */
    context?: string;
    /** The namespace of environments whose call names none; the context's namespace, else `default`. */
    namespace?: string;
  };
}
