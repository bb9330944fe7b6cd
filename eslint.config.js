import js from '@eslint/js';
import i18next from 'eslint-plugin-i18next';
import literalDefaults from 'eslint-plugin-i18next/lib/options/defaults.js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const lucia = { name: 'lucia', message: 'Use ~/utils/auth.server; lucia stays behind that adapter.' };
// Layers: db/ knows nothing of the app; app/utils (guards, sites, plumbing) knows nothing of the modules.
const appFromDb = { group: ['~/*', '**/app/*'], message: 'db/ sits below the app: move what both need into db/ (vocabulary into db/vocabulary.ts).' };
const modulesFromUtils = { group: ['~/modules/*', '**/modules/*'], message: 'app/utils sits below the modules: move the shared piece into app/utils, or the util into its module.' };
// Only the guards make capabilities (and tests/capabilities.ts, after the same checks).
const minting = {
  paths: [{ name: '~/utils/permissions.server', importNames: ['checkTownRole'], message: 'Use requireTownRole: only the session says who the user is. Tests use tests/capabilities.ts.' }],
  patterns: [{ group: ['**/capabilities.server'], importNames: ['CAPABILITY'], message: 'Capabilities come from the guards in ~/utils/permissions.server. Tests use tests/capabilities.ts.' }],
};

// Words people read go through the catalogue (app/i18n): JSX text, and the props that carry words.
// Anything else in JSX (hrefs, names, ids, classes) is data, not wording, and so are lowercase codes ('not_fixed').
const noLiteralWords = {
  mode: 'jsx-only',
  words: { exclude: [...literalDefaults.words.exclude, '^[a-z][a-z_]*$'] },
  'jsx-attributes': { include: ['aria-label', 'aria-description', 'alt', 'title', 'placeholder', 'label', 'hint', 'legend', 'message', 'heading', 'description', 'confirm', 'caption', 'data-label'] },
};

export default tseslint.config(
  { ignores: ['build/', 'public/build/', 'public/uswds/', 'node_modules/', 'data/', '.cache/', 'tests/e2e/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { react, 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    settings: { react: { version: 'detect' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.strict.rules,
      'react/prop-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [lucia, ...minting.paths], patterns: minting.patterns }],
    },
  },
  // A file-scoped no-restricted-imports replaces the options above, so each one lists all that still applies.
  { files: ['db/**'], rules: { 'no-restricted-imports': ['error', { paths: [lucia, ...minting.paths], patterns: [...minting.patterns, appFromDb] }] } },
  { files: ['app/utils/**'], rules: { 'no-restricted-imports': ['error', { paths: [lucia, ...minting.paths], patterns: [...minting.patterns, modulesFromUtils] }] } },
  { files: ['app/utils/auth.server.ts'], rules: { 'no-restricted-imports': ['error', { paths: minting.paths, patterns: [...minting.patterns, modulesFromUtils] }] } },
  { files: ['app/utils/permissions.server.ts'], rules: { 'no-restricted-imports': ['error', { paths: [lucia], patterns: [modulesFromUtils] }] } },
  { files: ['tests/capabilities.ts'], rules: { 'no-restricted-imports': ['error', { paths: [lucia] }] } },
  {
    files: ['app/routes/**/*.{ts,tsx}', 'app/components/**/*.{ts,tsx}', 'app/root.tsx'],
    ignores: ['**/*.test.{ts,tsx}'],
    plugins: { i18next },
    rules: { 'i18next/no-literal-string': ['error', noLiteralWords] },
  },
  { files: ['**/*.js'], languageOptions: { globals: globals.node } },
);
