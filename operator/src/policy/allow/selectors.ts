/** Label selectors: which of the environment's own objects something applies to. */
import { anyString, fields, list, mapOf, oneOf } from './rules.js';

export const labelSelector = fields({
  matchLabels: mapOf(anyString, 32),
  matchExpressions: list(
    fields({
      key: anyString,
      operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist']),
      values: list(anyString, 64),
    }),
    16,
  ),
});
