// `npm run lint`. typescript-eslint's recommended rules with type information (so a promise nobody
// awaits or handles is an error), and two style rules: 4-space indentation and lines of at most
// 160 characters. Long string, template and regular-expression literals are allowed: fixtures
// and messages read better unbroken.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['out/', 'dist/', 'node_modules/', '.tools/', 'test-output/', '.vscode-test/', 'test/fixtures/', 'test/vscode/workspace/'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.ts'],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            '@typescript-eslint/no-floating-promises': 'error',
            '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
            '@typescript-eslint/await-thenable': 'error',
            // `import x = require('x')` is how a CommonJS module is imported whole (test/fuzz/noNetwork.ts patches them).
            '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
            // `_`-prefixed parameters and variables are kept on purpose (a signature's shape, a skipped element).
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
        },
    },
    {
        files: ['**/*.{js,mjs}'],
        languageOptions: {
            globals: {
                process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly',
                setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', URL: 'readonly',
            },
        },
        rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
    {
        // The preview's script runs in the webview, not in Node.
        files: ['client/media/**/*.js'],
        languageOptions: {
            sourceType: 'script',
            globals: { window: 'readonly', document: 'readonly', acquireVsCodeApi: 'readonly', requestAnimationFrame: 'readonly', MouseEvent: 'readonly' },
        },
    },
    {
        plugins: { '@stylistic': stylistic },
        rules: {
            // The parser, the preview and their tests match control characters on purpose (to reject or strip them).
            'no-control-regex': 'off',
            '@stylistic/indent': ['error', 4, { SwitchCase: 1, flatTernaryExpressions: true }],
            '@stylistic/max-len': ['error', {
                code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true,
            }],
            '@stylistic/no-trailing-spaces': 'error',
            '@stylistic/eol-last': 'error',
        },
    },
);
