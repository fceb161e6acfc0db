/** Who a bearer token belongs to, as the API server says (TokenReview): the identity MCP calls act as. */
import type { Identity, KubeClient } from '../reconciler/kube-client.js';

export type Review = { ok: true; identity: Identity } | { ok: false; reason: string };

export async function reviewToken(kube: KubeClient, token: string, signal?: AbortSignal): Promise<Review> {
  const review = await kube.request<{
    status?: { authenticated?: boolean; error?: string; user?: { username?: string; groups?: string[] } };
  }>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/tokenreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    signal,
  });
  const status = review.status;
  if (!status?.authenticated || !status.user?.username) {
    return { ok: false, reason: status?.error || 'the API server did not authenticate this token' };
  }
  return { ok: true, identity: { user: status.user.username, groups: status.user.groups ?? [] } };
}
