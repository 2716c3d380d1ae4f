import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'lib/',
      'labextension/',
      'dev/app/build/',
      'dev/state/',
      'demo-workspace/',
      'coverage/',
      '.cache/',
      'test-results/',
      '**/*.d.ts'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // CommonJS build configuration (webpack).
    files: ['**/*.cjs', 'dev/app/webpack.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/naming-convention': [
        'error',
        {
          selector: 'interface',
          format: ['PascalCase'],
          custom: { regex: '^I[A-Z]', match: true }
        }
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'none', varsIgnorePattern: '^_', caughtErrors: 'none' }
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'smart'],
      'prefer-arrow-callback': 'error',
      curly: ['error', 'all']
    }
  },
  {
    // Core must stay free of JupyterLab, Lumino widgets and DOM-only packages.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@jupyterlab/*'],
              message: 'src/core is pure: no JupyterLab imports.'
            },
            {
              group: [
                '@lumino/widgets',
                '@lumino/dragdrop',
                '@lumino/datagrid'
              ],
              message: 'src/core is pure: no widget imports.'
            },
            {
              group: ['react', 'react-dom', 'uplot'],
              message: 'src/core is pure: no view libraries.'
            },
            {
              group: ['node:*'],
              message: 'Only src/core/node/ may import Node built-ins.'
            }
          ],
          paths: ['fs', 'path', 'os', 'child_process', 'crypto'].map(name => ({
            name,
            message: 'Only src/core/node/ may import Node built-ins.'
          }))
        }
      ]
    }
  },
  {
    files: ['src/core/node/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser }
    }
  }
);
