import { describe, expect, it } from 'vitest';
import {
  bundleName,
  isLeftover,
  isLeftoverBundle,
  newContainerId,
  ownerOf,
  parseContainerList,
} from './runsc-leftovers.js';

const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

describe('runsc leftovers', () => {
  it('names a container after its owner and reads the owner back', () => {
    const id = newContainerId(4242);
    expect(id).toMatch(/^vibe-4242-[0-9a-f]{12}$/);
    expect(ownerOf(id)).toBe(4242);
    expect(ownerOf(newContainerId())).toBe(process.pid);
    expect(ownerOf('vibe-0123456789ab')).toBeUndefined();
    expect(ownerOf('vibe-12-xyz')).toBeUndefined();
  });

  it("collects any container of a dead owner, whatever its status, and none of a live one's", () => {
    const live = alive([100]);
    expect(isLeftover({ id: newContainerId(200), status: 'running' }, live)).toBe(true);
    expect(isLeftover({ id: newContainerId(200), status: 'created' }, live)).toBe(true);
    expect(isLeftover({ id: newContainerId(100), status: 'stopped' }, live)).toBe(false);
    expect(isLeftover({ id: newContainerId(100), status: 'running' }, live)).toBe(false);
  });

  it('collects old-style ids only once stopped, and never a container it did not name', () => {
    const none = alive([]);
    expect(isLeftover({ id: 'vibe-0123456789ab', status: 'stopped' }, none)).toBe(true);
    expect(isLeftover({ id: 'vibe-0123456789ab', status: 'running' }, none)).toBe(false);
    expect(isLeftover({ id: 'someone-elses', status: 'stopped' }, none)).toBe(false);
    expect(isLeftover({ id: 'vibe-0123456789ab-extra', status: 'stopped' }, none)).toBe(false);
  });

  it('collects bundles of dead owners and unreferenced old-style ones, nothing else', () => {
    const live = alive([100]);
    const referenced = new Set(['bundle-AbC123']);
    expect(isLeftoverBundle(bundleName(newContainerId(200)), referenced, live)).toBe(true);
    expect(isLeftoverBundle(bundleName(newContainerId(100)), referenced, live)).toBe(false);
    expect(isLeftoverBundle('bundle-xYz789', referenced, live)).toBe(true);
    expect(isLeftoverBundle('bundle-AbC123', referenced, live)).toBe(false);
    expect(isLeftoverBundle('rootfs-1234', referenced, live)).toBe(false);
    expect(isLeftoverBundle('bundle-notours-at-all', referenced, live)).toBe(false);
  });

  it("parses runsc's list, including its null for an empty root and entries it cannot read", () => {
    expect(parseContainerList('null')).toEqual([]);
    expect(
      parseContainerList(
        JSON.stringify([
          { id: 'vibe-1-0123456789ab', status: 'stopped', pid: -1, bundle: '/c/bundle-vibe-1-0123456789ab' },
          { id: 'vibe-2-0123456789ab', status: 'running' },
          { id: 3, status: 'running' },
          null,
        ]),
      ),
    ).toEqual([
      { id: 'vibe-1-0123456789ab', status: 'stopped', bundle: '/c/bundle-vibe-1-0123456789ab' },
      { id: 'vibe-2-0123456789ab', status: 'running' },
    ]);
  });
});
