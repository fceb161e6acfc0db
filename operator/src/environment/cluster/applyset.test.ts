import { describe, expect, it } from 'vitest';
import {
  ANNOTATION_APPLYSET_GROUP_KINDS,
  applySetIdFor,
  decodeInventory,
  encodeInventory,
  groupKind,
  memberKey,
} from './applyset.js';

describe('applyset', () => {
  it('derives a kubectl-shaped id that fits a label value', () => {
    const id = applySetIdFor('vibe-team-a-shop');
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    expect(id.length).toBeLessThanOrEqual(63);
    expect(applySetIdFor('vibe-other')).not.toBe(id);
  });

  it('writes group-kinds as kubectl does and names with versions for pruning', () => {
    const annotations = encodeInventory([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      { apiVersion: 'v1', kind: 'Service', name: 'web' },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    ]);
    expect(annotations[ANNOTATION_APPLYSET_GROUP_KINDS]).toBe('ConfigMap,Deployment.apps,Service');
    expect(decodeInventory(annotations)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      { apiVersion: 'v1', kind: 'Service', name: 'web' },
    ]);
  });

  it('reads a missing or damaged record as an empty set', () => {
    expect(decodeInventory(undefined)).toEqual([]);
    expect(decodeInventory({ 'vibe.dev/applyset-objects': '{not json' })).toEqual([]);
    expect(decodeInventory({ 'vibe.dev/applyset-objects': '[{"kind":"Service"}]' })).toEqual([]);
  });

  it('keys members by group, kind and name, not version', () => {
    expect(groupKind({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' })).toBe(
      'HorizontalPodAutoscaler.autoscaling',
    );
    expect(memberKey({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', name: 'h' })).toBe(
      memberKey({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'h' }),
    );
  });
});
