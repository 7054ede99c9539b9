import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  { ignores: ['.next/**', 'node_modules/**', 'data/**', 'public/**', 'test-results/**', 'bench-results/**', 'next-env.d.ts'] },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Configuration is read in exactly one module (lib/env.ts); everything else imports it.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration from lib/env.ts.' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'mongodb', message: 'Only lib/store/ may import the MongoDB driver.' }] }],
    },
  },
  { files: ['lib/env.ts', 'e2e/**', 'scripts/test.ts', '.ci/**', 'vitest.config.ts', 'lib/testing/**'], rules: { 'no-restricted-properties': 'off' } },
  { files: ['lib/store/**'], rules: { 'no-restricted-imports': 'off' } },
  // No import cycles in the runtime; a dynamic import() counts too (it only hides a cycle). `npx madge --circular` agrees.
  { files: ['lib/**/*.ts'], rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] } },
];

export default config;
