// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { ZONES } from './tools/lint/zones.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.emulators/**', 'dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Folder zones (docs/ARCHITECTURE.md): what may import what, checked at every depth on the
    // resolved file, so `../../functions/x` from core/pipeline/ is caught like `../functions/x`.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: ZONES }],
    },
  },
  {
    // The core is pure: it must run in a browser and in the offline verifier, so nothing that
    // talks to AWS (or to Node-only APIs) may enter it. The web page is held to the same rule.
    files: ['core/**/*.ts', 'web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@aws-sdk/*',
                'aws-cdk-lib',
                'aws-cdk-lib/*',
                '@aws-lambda-powertools/*',
                'constructs',
              ],
              message: 'core/ is pure: no AWS imports.',
            },
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'stream', 'os', 'child_process'],
              message: 'core/ must run in a browser: no Node built-ins.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
