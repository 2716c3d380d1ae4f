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
    // src/lab models read and write; their views draw. A model imports no
    // widget, dialog or rendering package and touches no DOM, so it can be
    // tested over MemoryStoreFS without a page.
    files: ['src/lab/**/model.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@lumino/widgets',
                '@lumino/dragdrop',
                '@lumino/datagrid',
                '@lumino/messaging',
                '@jupyterlab/apputils',
                '@jupyterlab/ui-components',
                '@jupyterlab/rendermime',
                'react',
                'react-dom',
                'uplot'
              ],
              message:
                'A model does no DOM: widgets, dialogs and rendering belong in its view.'
            },
            {
              group: [
                '**/view',
                '**/*view',
                '!**/overview',
                '!**/savedview',
                '**/organise',
                '**/ui/dom',
                '**/ui/download',
                '**/ui/notify',
                '**/ui/icons',
                '**/ui/badges'
              ],
              message:
                'A model does not import views or DOM helpers; the view asks the model.'
            }
          ]
        }
      ],
      'no-restricted-globals': [
        'error',
        ...['document', 'window', 'navigator', 'HTMLElement', 'Element'].map(
          name => ({
            name,
            message: 'A model does no DOM: leave it to its view.'
          })
        )
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
