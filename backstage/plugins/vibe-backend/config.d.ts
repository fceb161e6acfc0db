export interface Config {
  vibe?: {
    /**
     * The most log lines per container the entity page may ask for (default 500). The cluster
     * connection itself is configured by the keys of @vibe-operator/plugin-vibe-node.
     */
    maxLogLines?: number;
  };
}
