/** The API group and version every vibe resource is served under. */
export const GROUP = 'vibe.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** Labels and annotations the operator owns; user objects must not set them. */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'vibe-operator';
