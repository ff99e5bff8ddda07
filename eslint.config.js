// ESLint flat config. The layering rule (STYLE.md §10) is the point of this
// file: code for one runtime never imports code for another.
//
//   core/      pure TypeScript emulator: no main/, renderer/, native/, Electron, DOM
//   renderer/  Svelte UI: sees only the shared API types (core/host/api.ts, main/api.ts)
//   main/      Electron main process and preload: may use core/
//
// The layering rule resolves each import against the importing file, so
// `../main/x` inside core/a64/ (that is core/main/x) is not mistaken for the
// top-level main/. test/infra/lint.test.ts checks that the rule fires.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Top-level directory of an absolute path inside the repository, or undefined outside it. */
function topDir(abs) {
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep)[0];
}

/**
 * armlab/layers: `{ forbidDirs: string[], forbidPackages: (string|RegExp)[], allowFiles?: string[], allowTypeOnlyFiles?: string[] }`.
 * allowFiles / allowTypeOnlyFiles are repository-relative paths without extension
 * that stay importable even though their directory is forbidden.
 */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the layering between core/, main/, renderer/ and native/' },
    schema: [
      {
        type: 'object',
        properties: {
          forbidDirs: { type: 'array', items: { type: 'string' } },
          forbidPackages: { type: 'array' },
          allowFiles: { type: 'array', items: { type: 'string' } },
          allowTypeOnlyFiles: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      dir: "{{layer}}/ may not import from {{target}}/ ('{{spec}}'): see STYLE.md §10 and eslint.config.js",
      pkg: "{{layer}}/ may not import '{{spec}}': see STYLE.md §10 and eslint.config.js",
      typeOnly: "{{layer}}/ may import only types from '{{spec}}': use `import type`",
    },
  },
  create(context) {
    const opts = context.options[0] ?? {};
    const forbidDirs = new Set(opts.forbidDirs ?? []);
    const forbidPackages = (opts.forbidPackages ?? []).map((p) =>
      typeof p === 'string' && p.startsWith('/') ? new RegExp(p.slice(1, -1)) : p,
    );
    const allowFiles = new Set(opts.allowFiles ?? []);
    const allowTypeOnly = new Set(opts.allowTypeOnlyFiles ?? []);
    const file = context.filename;
    const layer = topDir(file) ?? '?';

    function check(node, spec, typeOnly) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const abs = path.resolve(path.dirname(file), spec);
        const target = topDir(abs);
        if (target === undefined || !forbidDirs.has(target)) return;
        const key = path
          .relative(root, abs)
          .split(path.sep)
          .join('/')
          .replace(/\.(js|ts|mjs|cjs|svelte)$/, '');
        if (allowFiles.has(key)) return;
        if (allowTypeOnly.has(key)) {
          if (!typeOnly) context.report({ node, messageId: 'typeOnly', data: { layer, spec } });
          return;
        }
        context.report({ node, messageId: 'dir', data: { layer, target, spec } });
        return;
      }
      const hit = forbidPackages.some((p) => (p instanceof RegExp ? p.test(spec) : spec === p || spec.startsWith(`${p}/`)));
      if (hit) context.report({ node, messageId: 'pkg', data: { layer, spec } });
    }

    const isTypeOnlyImport = (node) =>
      node.importKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));

    return {
      ImportDeclaration: (node) => check(node, node.source.value, isTypeOnlyImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
      TSImportType: (node) => {
        const arg = node.argument?.literal ?? node.argument;
        if (arg?.type === 'Literal') check(node, arg.value, true);
      },
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value, false);
        }
      },
    };
  },
};

const armlab = { rules: { layers: layersRule } };

/** Browser globals the emulator core must never touch (it runs in Node workers, the CLI and tests). */
const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'location',
  'HTMLElement',
  'requestAnimationFrame',
  'alert',
].map((name) => ({ name, message: 'core/ runs outside the browser: no DOM (STYLE.md §10). Take what you need through a host interface.' }));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'out/**',
      'build/**',
      'native/build/**',
      'release/**',
      'coverage/**',
      'test-results/**',
      '.cache/**',
      'resources/**/out/**',
      '**/*.generated.*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    plugins: { armlab },
    rules: {
      // Emulator code works with 32-bit halves, packed flags and typed arrays: these are deliberate.
      'no-bitwise': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-fallthrough': 'error',
      // Style, not correctness: reported, never blocking (several people write in parallel).
      'prefer-const': 'warn',
      // ALL_CAPS constants may stay unused: decode and register code names every encoding value
      // (OPC_SBFM, OPC_BFM, …) even where one of them needs no code.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^(_|[A-Z][A-Z0-9_]*$)', caughtErrors: 'none' },
      ],
      // `x!` is how the core says "the invariant holds here"; reviewing beats banning it.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['core/**'],
    rules: {
      'armlab/layers': [
        'error',
        { forbidDirs: ['main', 'renderer', 'native', 'cli'], forbidPackages: ['electron', 'svelte', '/^@electron\\//', '/^electron-/'] },
      ],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'armlab/layers': [
        'error',
        {
          forbidDirs: ['core', 'main', 'native', 'cli', 'scripts', 'test'],
          forbidPackages: ['electron', '/^@electron\\//', '/^node:/', 'fs', 'path', 'child_process', 'worker_threads', 'os'],
          allowTypeOnlyFiles: ['core/host/api', 'main/api'],
          // Pure modules (no Node APIs, only type imports): the renderer computes what the host computes.
          allowFiles: ['core/host/summary'],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['main/**'],
    rules: {
      'armlab/layers': ['error', { forbidDirs: ['renderer'], forbidPackages: [] }],
    },
  },
  {
    // The KVM addon's JavaScript side is loaded on demand by the host; nothing above the host imports it.
    files: ['cli/**', 'test/**', 'scripts/**'],
    rules: {
      // test/ may unit-test the renderer's pure helpers (no DOM, no Svelte).
      'armlab/layers': ['error', { forbidDirs: ['renderer'], forbidPackages: [], allowFiles: ['renderer/src/lib/series'] }],
    },
  },
  {
    // Svelte component tests (vitest project 'component', happy-dom) mount the renderer's components.
    files: ['test/component/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'armlab/layers': ['error', { forbidDirs: ['main', 'native'], forbidPackages: ['electron'] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests keep helpers around between cases, and one-off measurement scripts keep values alive on
    // purpose: an unused name there is reported, not blocking. Product code (core/, main/, renderer/, cli/) stays strict.
    files: ['test/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
);
