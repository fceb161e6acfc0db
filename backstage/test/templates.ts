/** Template entities for the suites: the shipped software template, and one-step templates per action. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Entity } from '@backstage/catalog-model';
import { parse } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The software template this repository ships, as the catalog reads it. */
export function previewTemplate(): Entity {
  return parse(
    readFileSync(path.join(here, '../templates/preview-environment/template.yaml'), 'utf8'),
  ) as Entity;
}

/**
 * A template with one step running `action` with the given inputs; each input's value is passed
 * through from the task's parameter of the same name.
 */
export function oneStepTemplate(name: string, action: string, inputs: string[]): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: 'group:default/platform',
      type: 'test',
      parameters: [{ properties: Object.fromEntries(inputs.map((i) => [i, {}])) }],
      steps: [
        {
          id: 'run',
          action,
          input: Object.fromEntries(inputs.map((i) => [i, `\${{ parameters.${i} }}`])),
        },
      ],
      output: {
        name: '${{ steps.run.output.name }}',
        namespace: '${{ steps.run.output.namespace }}',
        phase: '${{ steps.run.output.phase }}',
        previewUrl: '${{ steps.run.output.previewUrl }}',
        expiresAt: '${{ steps.run.output.expiresAt }}',
        deleted: '${{ steps.run.output.deleted }}',
      },
    },
  };
}
