/** A console for the script that keeps a bounded transcript instead of writing to the result stream. */
import { format } from 'node:util';

export interface CapturedConsole {
  readonly console: Record<'log' | 'info' | 'warn' | 'error' | 'debug', (...args: unknown[]) => void>;
  readonly lines: string[];
}

export function captureConsole(maxBytes: number): CapturedConsole {
  const lines: string[] = [];
  let used = 0;
  let truncated = false;
  const write = (...args: unknown[]) => {
    if (truncated) return;
    const line = format(...args);
    if (used + line.length > maxBytes) {
      truncated = true;
      lines.push(`[console output truncated after ${maxBytes} bytes]`);
      return;
    }
    used += line.length;
    lines.push(line);
  };
  return { console: { log: write, info: write, warn: write, error: write, debug: write }, lines };
}
