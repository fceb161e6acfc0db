import type { SandboxLimits, SandboxRequest } from './types.js';

/** The input document the runner reads beside the script (its shape is the runner's RunnerInput). */
export function runnerInput(request: SandboxRequest, limits: SandboxLimits): unknown {
  return {
    facts: request.facts ?? {},
    ...(request.program ? { program: request.program } : {}),
    limits: {
      timeoutMs: limits.scriptMs,
      maxOutputBytes: limits.maxOutputBytes,
      maxObjects: limits.maxObjects,
    },
  };
}

/** The line a runner waiting on stdin reads (sandbox-runtime/runner/main.ts): the transpiled script and its input. */
export function runnerRequest(code: string, request: SandboxRequest, limits: SandboxLimits): string {
  return JSON.stringify({ script: code, input: runnerInput(request, limits) });
}

/**
 * What a runner waiting on stdin prints once booted, before its result line. The runner's own
 * constant is READY_LINE in sandbox-runtime/runner/protocol.ts; the sandbox tests check they agree.
 */
export const RUNNER_READY_LINE = 'vibe-runner-ready';
