import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('takes flags over env over the file, and freezes the result', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vibe-config-'));
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'concurrency: 2\nmaxTtl: 1d\nlogLevel: debug\n');
    const config = await loadConfig(['--config', file, '--concurrency', '8'], { VIBE_MAX_TTL: '3d' });
    expect(config).toMatchObject({ concurrency: 8, maxTtl: '3d', logLevel: 'debug', leaderElect: false });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads --leader-elect as a boolean flag and VIBE_LEADER_ELECT=true from env', async () => {
    expect((await loadConfig(['--leader-elect'], {})).leaderElect).toBe(true);
    expect((await loadConfig([], { VIBE_LEADER_ELECT: 'true' })).leaderElect).toBe(true);
    expect((await loadConfig([], { VIBE_LEADER_ELECT: 'false' })).leaderElect).toBe(false);
  });

  it('names the key, its source and the reason for every bad value', async () => {
    const err = await loadConfig(['--concurrency', 'lots', '--max-ttl', 'banana'], {}).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('VIBE_CONFIG_INVALID');
    expect((err as ConfigError).message).toContain('concurrency (from flag --concurrency)');
    expect((err as ConfigError).message).toContain('maxTtl (from flag --max-ttl): must be a duration');
  });

  it('rejects unknown flags and unknown file keys', async () => {
    await expect(loadConfig(['--colour', 'x'], {})).rejects.toThrow(/Unknown option '--colour'/);
    const dir = mkdtempSync(path.join(tmpdir(), 'vibe-config-'));
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'concurency: 2\n');
    await expect(loadConfig(['--config', file], {})).rejects.toThrow(/concurency/);
  });
});
