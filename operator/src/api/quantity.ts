import { z } from 'zod';

/** A resource quantity such as 500m, 2 or 4Gi, checked by the API server's own parser. */
export function quantity(field: string) {
  return z
    .string()
    .min(1)
    .max(32)
    .meta({
      'x-kubernetes-validations': [
        { rule: 'isQuantity(self)', message: `${field} must be a quantity such as 500m, 2 or 4Gi` },
      ],
    });
}
