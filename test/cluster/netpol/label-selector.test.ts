import { describe, expect, it } from 'vitest';
import { selectorMatches } from './label-selector.js';

const labels = { app: 'web', tier: 'front' };

describe('selectorMatches', () => {
  it('matches everything with an empty selector', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({}, {})).toBe(true);
  });

  it('needs every matchLabels pair', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'back' } }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { role: 'x' } }, labels)).toBe(false);
  });

  it.each([
    ['In', ['web', 'api'], true],
    ['In', ['api'], false],
    ['NotIn', ['api'], true],
    ['NotIn', ['web'], false],
    ['Exists', undefined, true],
    ['DoesNotExist', undefined, false],
  ])('applies %s %j to a label that is there', (operator, values, expected) => {
    const requirement = { key: 'app', operator, ...(values ? { values } : {}) };
    expect(selectorMatches({ matchExpressions: [requirement] }, labels)).toBe(expected);
  });

  it.each([
    ['In', ['web'], false],
    ['NotIn', ['web'], true],
    ['Exists', undefined, false],
    ['DoesNotExist', undefined, true],
  ])('applies %s %j to a label that is missing', (operator, values, expected) => {
    const requirement = { key: 'role', operator, ...(values ? { values } : {}) };
    expect(selectorMatches({ matchExpressions: [requirement] }, labels)).toBe(expected);
  });

  it('needs matchLabels and every expression together', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(selectorMatches(selector, labels)).toBe(true);
    expect(selectorMatches(selector, { ...labels, canary: 'yes' })).toBe(false);
  });

  it('selects nothing with an operator the API server would refuse', () => {
    expect(
      selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels),
    ).toBe(false);
  });
});
