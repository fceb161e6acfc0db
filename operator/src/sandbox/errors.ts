/** Why the sandbox itself (not the script) could not run; each message says what to do about it. */
export class SandboxSetupError extends Error {
  constructor(
    readonly code: `VIBE_SANDBOX_${string}`,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxSetupError';
  }
}
