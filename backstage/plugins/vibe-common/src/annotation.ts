/**
 * The catalog annotation that links an entity to its environments: `vibe.dev/environments: NAMESPACE`
 * for every environment in that namespace, or `NAMESPACE/PREFIX` for those whose name starts with
 * PREFIX (the software template names environments `<component>-<suffix>`).
 */
export const ENVIRONMENTS_ANNOTATION = 'vibe.dev/environments';

export interface EnvironmentSelector {
  namespace: string;
  prefix: string;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PREFIX = /^[a-z0-9][-a-z0-9.]*$/;

/** The selector an annotation value names, or an Error whose message says what to write instead. */
export function parseEnvironmentsAnnotation(value: string): EnvironmentSelector | Error {
  const [namespace = '', prefix = '', ...rest] = value.trim().split('/');
  if (
    !LABEL.test(namespace) ||
    namespace.length > 63 ||
    rest.length > 0 ||
    (prefix && !PREFIX.test(prefix))
  ) {
    return new Error(
      `the ${ENVIRONMENTS_ANNOTATION} annotation "${value}" is not NAMESPACE or NAMESPACE/NAME-PREFIX; ` +
        `write for example "team-a" or "team-a/web-".`,
    );
  }
  return { namespace, prefix };
}
