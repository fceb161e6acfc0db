import { describe, expect, it } from 'vitest';
import { ApiError } from '../../reconciler/errors.js';
import { UnknownKindError } from '../../reconciler/rest-mapper.js';
import { ApplyError, failureOf } from './apply-error.js';

const status = (message: string) => ({ kind: 'Status', message });
const user = 'system:serviceaccount:vibe-a:vibe-applier';

describe('failureOf', () => {
  it('says who was refused and what a plan may hold when the API server answers 403', () => {
    const err = failureOf(
      new ApiError('PATCH', '/x', 403, status('clusterrolebindings "x" is forbidden')),
      'ClusterRoleBinding/x',
      user,
    ) as ApplyError;
    expect(err).toBeInstanceOf(ApplyError);
    expect(err.code).toBe('VIBE_APPLY_FORBIDDEN');
    expect(err.status).toBe(403);
    expect(err.object).toBe('ClusterRoleBinding/x');
    expect(err.message).toBe(
      `the environment's identity ${user} may not write ClusterRoleBinding/x (clusterrolebindings "x" is forbidden); ` +
        'a plan may hold only namespaced objects of the kinds the policy allows, in its own namespace.',
    );
  });

  it('maps invalid objects, conflicts, unknown kinds and other statuses to their own codes', () => {
    const code = (thrown: unknown) => (failureOf(thrown, 'Deployment/web', undefined) as ApplyError).code;
    expect(code(new ApiError('PATCH', '/x', 422, status('spec.replicas: Invalid value')))).toBe(
      'VIBE_APPLY_INVALID',
    );
    expect(code(new ApiError('PATCH', '/x', 400, status('bad')))).toBe('VIBE_APPLY_INVALID');
    expect(code(new ApiError('PATCH', '/x', 409, status('conflict')))).toBe('VIBE_APPLY_CONFLICT');
    expect(code(new ApiError('PATCH', '/x', 500, status('etcd')))).toBe('VIBE_APPLY_FAILED');
    expect(
      code(
        new ApiError(
          'PATCH',
          '/x',
          403,
          status('pods "p" is forbidden: violates PodSecurity "restricted:latest"'),
        ),
      ),
    ).toBe('VIBE_APPLY_POD_SECURITY');
    expect(
      code(new ApiError('PATCH', '/x', 403, status('pods "p" is forbidden: exceeded quota: vibe-quota'))),
    ).toBe('VIBE_APPLY_QUOTA_EXCEEDED');
    expect(code(new UnknownKindError('example.com/v1', 'Widget'))).toBe('VIBE_APPLY_UNKNOWN_KIND');
    expect(code(new Error('socket hang up'))).toBe('VIBE_APPLY_FAILED');
  });

  it('keeps the server message and names the field to fix for an invalid object', () => {
    const err = failureOf(
      new ApiError(
        'PATCH',
        '/x',
        422,
        status('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1'),
      ),
      'Deployment/web',
      undefined,
    ) as ApplyError;
    expect(err.message).toBe(
      'the API server refused Deployment/web: Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1. Correct the field it names.',
    );
  });

  it('passes aborts and ApplyErrors through unchanged', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(failureOf(abort, 'Deployment/web', undefined)).toBe(abort);
    const applyError = new ApplyError('VIBE_APPLY_RESERVED_NAME', 'reserved');
    expect(failureOf(applyError, 'Deployment/web', undefined)).toBe(applyError);
  });
});
