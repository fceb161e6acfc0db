/** A mistake in a script's use of the SDK; its message is written for the script's author (often a model). */
export class SdkError extends Error {
  constructor(
    readonly code: `VIBE_SDK_${string}`,
    message: string,
  ) {
    super(message);
    this.name = 'SdkError';
  }
}
