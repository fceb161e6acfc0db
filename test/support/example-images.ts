/**
 * The images the examples' building blocks run on the local cluster, which has no registry:
 * examples/images.sh builds postgres, redis, NATS and the demo app and imports them into the
 * node; the operator maps the official names to them with these flags.
 */
import { execFileSync } from 'node:child_process';

/** Operator flags: plans naming docker.io/library/postgres (redis, nats) run the local images. */
export const LOCAL_IMAGE_MIRRORS = ['--image-mirrors', 'docker.io/library/=localhost/vibe/'];

/** Builds (once, cached) and imports the example images into the node's containerd. */
export function importExampleImages(): void {
  execFileSync('bash', ['examples/images.sh'], { stdio: 'inherit' });
}
