import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import architecture from './lint/import-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cluster/', 'test/cluster/modules/', 'charts/**/templates/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The architecture table (docs/architecture.md) as a lint rule: lint/architecture.js.
    files: ['operator/**/*.ts', 'sandbox-runtime/**/*.ts', 'test/**/*.ts'],
    plugins: { architecture },
    rules: { 'architecture/import-boundaries': ['error', { root: import.meta.dirname }] },
  },
);
