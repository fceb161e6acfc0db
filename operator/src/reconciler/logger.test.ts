import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes JSON lines with secrets redacted at any of the usual places', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        token: 't0p',
        user: { password: 'hunter2', name: 'ann' },
        request: { headers: { authorization: 'Bearer abc' } },
        model: { apiKey: 'sk-123' },
      },
      'hello',
    );
    logger.debug('not at info');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      msg: 'hello',
      token: '[redacted]',
      user: { password: '[redacted]', name: 'ann' },
      request: { headers: { authorization: '[redacted]' } },
      model: { apiKey: '[redacted]' },
    });
    expect(lines[0]).not.toMatch(/t0p|hunter2|Bearer abc|sk-123/);
  });
});
