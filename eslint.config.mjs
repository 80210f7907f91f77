// Lint is where the layering of DESIGN.md is enforced: a rule only written down is a hope.
import tseslint from 'typescript-eslint';

const vscodeOnlyHere = 'Only src/vscode/, src/app.ts and src/extension.ts may import vscode (see ARCHITECTURE.md).';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.test-output/**', 'media/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'SwitchStatement > SwitchCase > MemberExpression[property.name=/^(type|method|kind)$/]', message: 'Dispatch through a typed registry, not a switch on message types.' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/vscode/**', 'src/app.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: vscodeOnlyHere }] }] },
  },
  {
    // The engine, providers, server, protocol and CLI run in plain Node: no vscode, no other outer layer.
    files: ['src/engine/**/*.ts', 'src/providers/**/*.ts', 'src/server/**/*.ts', 'src/protocol/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: vscodeOnlyHere }],
        patterns: [
          { group: ['**/vscode/**', '**/webview/**'], message: 'Inner layers never import the VS Code adapters or the webview.' },
          { group: ['**/app.ts', '**/extension.ts'], message: 'Only the composition root wires layers together.' },
        ],
      }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: vscodeOnlyHere }],
        patterns: [{ group: ['**/server/**', '**/protocol/**', '**/vscode/**', '**/webview/**', '**/cli*'], message: 'The engine depends on nothing outside itself; state needs as ports.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview runs in a browser frame and talks to the host only through src/protocol/.' }],
        patterns: [{ group: ['**/src/engine/**', '**/src/vscode/**', '**/src/server/**', '**/src/providers/**', '**/src/app*', '**/src/extension*'], message: 'The webview imports only src/protocol/ from the host side.' }],
      }],
    },
  },
);
