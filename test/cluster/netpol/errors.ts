/** The enforcer's failures, each with a stable code for logs and tests. */
export type NetpolErrorCode =
  | 'VIBE_NETPOL_NFT_REFUSED'
  | 'VIBE_NETPOL_NETNS_MISSING'
  | 'VIBE_NETPOL_TOOL_MISSING'
  | 'VIBE_NETPOL_BAD_ARGUMENT';

export class NetpolError extends Error {
  constructor(
    readonly code: NetpolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NetpolError';
  }
}
