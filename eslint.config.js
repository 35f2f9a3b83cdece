// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins. The
 * OpenTelemetry API only sets attributes on the spans Temporal's tracing interceptors keep.
 */
const WORKFLOW_ALLOWED_IMPORTS = ['@temporalio/workflow', '@temporalio/common', '@mctb/domain', '@mctb/domain/*', '@mctb/business-hours', '@opentelemetry/api'];
/** The domain is pure logic shared with workflows. */
const DOMAIN_ALLOWED_IMPORTS = ['libphonenumber-js', 'libphonenumber-js/*'];

/** Builds a rule that allows only the listed packages (plus relative files); type-only imports are free. */
export function onlyImports(allowed, why) {
  const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace('\\*', '.*');
  const permitted = allowed.map(escape).join('|');
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { patterns: [{ regex: `^(?!(${permitted})$|\\.{1,2}/)`, allowTypeImports: true, message: why }] },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.mctb/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in the service env.ts (or devstack) only.' },
      ],
    },
  },
  {
    files: ['packages/workflows/src/**/*.ts'],
    // Everything bundled into the workflow sandbox; tests, their harness and Node tools are not.
    ignores: ['**/*.test.ts', 'packages/workflows/src/testing/**', 'packages/workflows/src/tools/**'],
    rules: onlyImports(
      WORKFLOW_ALLOWED_IMPORTS,
      'Workflow code must be deterministic: import only @temporalio/workflow and pure domain code (type-only imports are fine); do I/O in activities.',
    ),
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: onlyImports(DOMAIN_ALLOWED_IMPORTS, 'The domain package is pure logic: no I/O and no Node built-ins.'),
  },
  {
    // Only these modules read the environment: each service's env.ts, the dev stack, and test tooling.
    files: ['services/*/src/env.ts', 'infra/**/*.ts', 'packages/testkit/src/**/*.ts', '*.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
