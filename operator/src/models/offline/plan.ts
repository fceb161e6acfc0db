/** The structured reading of an intent, before it is written out as a script. */
import type { BackingKind } from './lexicon.js';

export interface WorkloadPlan {
  readonly kind: 'webService' | 'worker' | 'cronJob';
  readonly name: string;
  readonly image: string;
  readonly port?: number;
  readonly replicas?: number;
  readonly env: Record<string, string>;
  readonly cpu?: string;
  readonly memory?: string;
  readonly healthPath?: string;
  readonly command?: string[];
  readonly schedule?: string;
  readonly public: boolean;
}

export interface BackingPlan {
  readonly kind: BackingKind;
  readonly name: string;
  readonly version?: string;
}

export interface StaticSitePlan {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly public: boolean;
}

export interface EnvironmentPlan {
  readonly workloads: WorkloadPlan[];
  readonly backing: BackingPlan[];
  readonly sites: StaticSitePlan[];
  /** Everything the planner chose that the intent did not say, written into the script's header. */
  readonly assumptions: string[];
}
