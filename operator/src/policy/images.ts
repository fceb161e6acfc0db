/** Image allow and deny lists as glob patterns, where `*` matches any run of characters. */

function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** The reason an image is refused, or undefined when it may run. */
export function imageAllowed(image: string, lists: { allow: string[]; deny: string[] }): string | undefined {
  if (!image) return 'has no image.';
  const denied = lists.deny.find((p) => glob(p).test(image));
  if (denied) return `image "${image}" matches the deny list entry "${denied}".`;
  if (!lists.allow.some((p) => glob(p).test(image))) {
    return `image "${image}" is not on the allow list (${lists.allow.join(', ')}).`;
  }
  return undefined;
}
