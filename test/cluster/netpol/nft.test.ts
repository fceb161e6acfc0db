import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceTable, tableExists } from './nft.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netpol-nft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for `ip netns exec NS nft`: a shell script that gets nft's `-f -` as $1 $2. */
const fake = (script: string) => ['sh', '-c', script, 'nft'];

describe('replaceTable', () => {
  it('hands nft one script that adds, deletes and re-adds the table, so the swap is atomic', async () => {
    const out = path.join(dir, 'script.nft');
    await replaceTable('table inet t {\n}\n', {
      netns: 'vibe-node',
      table: 't',
      command: fake(`test "$1 $2" = "-f -" && cat >${out}`),
    });
    expect(readFileSync(out, 'utf8')).toBe('table inet t\ndelete table inet t\ntable inet t {\n}\n');
  });

  it('says the network namespace is missing and how to get it', async () => {
    const command = fake(
      'echo \'Cannot open network namespace "vibe-node": No such file or directory\' >&2; exit 255',
    );
    await expect(replaceTable('', { netns: 'vibe-node', table: 't', command })).rejects.toMatchObject({
      code: 'VIBE_NETPOL_NETNS_MISSING',
      message: expect.stringContaining('make cluster-up'),
    });
  });

  it("passes nft's own complaint on when it refuses the table", async () => {
    const command = fake('cat >/dev/null; echo "Error: syntax error, unexpected junk" >&2; exit 1');
    await expect(replaceTable('junk', { netns: 'vibe-node', table: 't', command })).rejects.toMatchObject({
      code: 'VIBE_NETPOL_NFT_REFUSED',
      message: expect.stringContaining('Error: syntax error, unexpected junk'),
    });
  });

  it('names the missing tool', async () => {
    await expect(
      replaceTable('', { netns: 'vibe-node', table: 't', command: ['/nonexistent/ip'] }),
    ).rejects.toMatchObject({
      code: 'VIBE_NETPOL_TOOL_MISSING',
      message: expect.stringContaining('/nonexistent/ip'),
    });
    const nftMissing = fake('echo \'exec of "nft" failed: No such file or directory\' >&2; exit 255');
    await expect(
      replaceTable('', { netns: 'vibe-node', table: 't', command: nftMissing }),
    ).rejects.toMatchObject({
      code: 'VIBE_NETPOL_TOOL_MISSING',
    });
  });
});

describe('tableExists', () => {
  it('asks nft to list the table and believes its exit status', async () => {
    const listing = (status: number) =>
      fake(`test "$1 $2 $3 $4" = "list table inet vibe-netpol" && exit ${status}; exit 9`);
    expect(await tableExists({ netns: 'vibe-node', table: 'vibe-netpol', command: listing(0) })).toBe(true);
    expect(await tableExists({ netns: 'vibe-node', table: 'vibe-netpol', command: listing(1) })).toBe(false);
  });
});
