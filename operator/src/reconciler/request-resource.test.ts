import { describe, expect, it } from 'vitest';
import { requestResource } from './request-resource.js';

describe('requestResource', () => {
  it('names core and group resources, namespaced or not, with their subresource', () => {
    expect(requestResource('GET', '/api/v1/namespaces')).toEqual({ verb: 'list', resource: 'namespaces' });
    expect(requestResource('PATCH', '/api/v1/namespaces/vibe-a')).toEqual({
      verb: 'patch',
      resource: 'namespaces',
    });
    expect(requestResource('POST', '/api/v1/namespaces/a/events')).toEqual({
      verb: 'create',
      resource: 'events',
    });
    expect(
      requestResource('PATCH', '/apis/vibe.dev/v1alpha1/namespaces/a/vibeenvironments/e/status'),
    ).toEqual({ verb: 'patch', resource: 'vibeenvironments/status' });
    expect(requestResource('GET', '/apis/vibe.dev/v1alpha1/namespaces/a/vibeenvironments/e')).toEqual({
      verb: 'get',
      resource: 'vibeenvironments',
    });
  });

  it('tells a watch from a list and a delete from a delete of a collection', () => {
    expect(requestResource('GET', '/api/v1/namespaces/a/pods', { watch: true })).toEqual({
      verb: 'watch',
      resource: 'pods',
    });
    expect(requestResource('GET', '/api/v1/namespaces/a/pods', { limit: 500 })).toEqual({
      verb: 'list',
      resource: 'pods',
    });
    expect(requestResource('DELETE', '/api/v1/namespaces/a/pods')).toEqual({
      verb: 'deletecollection',
      resource: 'pods',
    });
    expect(requestResource('DELETE', '/api/v1/namespaces/a')).toEqual({
      verb: 'delete',
      resource: 'namespaces',
    });
  });

  it('calls what is not a resource path other', () => {
    expect(requestResource('GET', '/version')).toEqual({ verb: 'other', resource: 'version' });
    expect(requestResource('GET', '/apis/vibe.dev/v1alpha1')).toEqual({
      verb: 'other',
      resource: 'apis/vibe.dev/v1alpha1',
    });
  });
});
