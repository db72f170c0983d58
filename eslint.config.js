// Lint rules. Layering (DESIGN.md) is enforced here: only src/crypto imports crypto libraries,
// only src/storage imports Kysely and database drivers, and http/cli reach the rest through services.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const cryptoLibs = { paths: ['node:crypto', 'crypto', 'ciphersweet-js', '@node-rs/argon2', 'otplib'], patterns: ['@noble/*', '@hpke/*', '@otplib/*'] };
const dbLibs = { paths: ['kysely', 'better-sqlite3', 'pg'], patterns: ['kysely/*'] };
const layer = (path) => ({ paths: [], patterns: [path] });
// One no-restricted-imports rule from several groups, each with its message.
const restrict = (...groups) => ['error', {
  paths: groups.flatMap(([g, message]) => g.paths.map((name) => ({ name, message }))),
  patterns: groups.flatMap(([g, message]) => (g.patterns.length ? [{ group: g.patterns, message }] : [])),
}];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'web/dist/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/crypto/**', 'src/storage/**'],
    rules: {
      'no-restricted-imports': restrict(
        [cryptoLibs, 'Only src/crypto may import crypto libraries (DESIGN.md layering).'],
        [dbLibs, 'Only src/storage may import database libraries (DESIGN.md layering).'],
      ),
    },
  },
  {
    files: ['src/crypto/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([dbLibs, 'crypto must not touch the database.']) },
  },
  {
    files: ['src/storage/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([cryptoLibs, 'storage stores ciphertext; crypto lives in src/crypto.']) },
  },
  {
    // The staff console runs in the browser: browser globals, and of the server code only the pure
    // src/domain rules may be bundled into it.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    // Unit tests beside browser code run in Node (node:test) and are not bundled.
    ignores: ['web/**/*.test.ts'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', fetch: 'readonly', history: 'readonly', location: 'readonly', MutationObserver: 'readonly', HTMLElement: 'readonly', HTMLCanvasElement: 'readonly', Event: 'readonly', requestAnimationFrame: 'readonly' } },
    rules: { 'no-restricted-imports': restrict(
      [{ paths: [], patterns: ['node:*', '**/src/services/**', '**/src/storage/**', '**/src/crypto/**', '**/src/http/**', '**/src/cli/**', '**/src/policy/**', '**/src/audit/**', '**/src/config/**'] }, 'The console is browser code: it may import only src/domain from the server side.'],
      [cryptoLibs, 'The console never does its own cryptography.'],
      [dbLibs, 'The console never touches the database.'],
    ) },
  },
  {
    files: ['src/http/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(
      [cryptoLibs, 'Only src/crypto may import crypto libraries.'],
      [dbLibs, 'Only src/storage may import database libraries.'],
      [layer('**/storage/**'), 'http and cli call services only (DESIGN.md layering).'],
      [layer('**/crypto/**'), 'http and cli call services only (DESIGN.md layering).'],
    ) },
  },
);
