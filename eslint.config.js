import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layer rules (docs/architecture.md, ADR 0018): which folder of src/ may import which, and the one
// owner folder of each external dependency. `restrict` matches a relative import of a top-level
// folder of src/ (`../store/…`, `../../store/…`).
const restrict = (names, message, extra = {}) => ({
  regex: `^(\\.\\./)+(${names.join('|')})(/|$)`,
  message,
  ...extra,
});

/** External dependency → the folders that may import it. */
const OWNERS = {
  '@oclif/core': ['commands', 'cli'],
  'cli-progress': ['cli'],
  yaml: ['config'],
  'js-yaml': ['config'],
  zod: ['config'],
  // Only the SQLite backend touches the database driver: the rest of vigie sees repositories
  // (src/store/*-repository.ts) speaking the domain's types, so a second backend can plug in.
  'better-sqlite3': ['store/sqlite'],
  pg: ['store/postgres'],
  bullmq: ['queue'],
  ioredis: ['queue'],
  nodemailer: ['mail'],
  '@octokit': ['github'],
  croner: ['cron'],
  undici: ['probes'],
  'dns-packet': ['probes'],
  htmlparser2: ['probes'],
  re2js: ['engine', 'domain'],
  'p-limit': ['engine', 'probes'],
  'structured-headers': ['grading'],
  tldts: ['grading'],
  '@resvg/resvg-js': ['report/png'],
  exceljs: ['report/xlsx'],
  '@peculiar/x509': ['demo'],
  'reflect-metadata': ['demo'],
  'temporal-polyfill': ['domain'],
};

/** Imports of our own folders that each folder must not make. */
const LAYERS = {
  domain: [{ regex: '^\\.\\./', message: 'src/domain imports nothing of vigie outside itself.' }],
  probes: [
    restrict(
      ['store', 'report', 'app', 'engine', 'grading'],
      'Probes observe only: no store, report, app, engine or grading.',
    ),
  ],
  config: [
    restrict(
      ['app', 'store', 'probes', 'engine'],
      'src/config reads user files: it does not import app, store, probes or the engine.',
    ),
  ],
  report: [
    restrict(
      ['store', 'probes', 'engine', 'config', 'files', 'mail', 'github', 'cli', 'commands'],
      'Renderers are pure: data in, text out.',
    ),
    {
      regex: '^node:(fs|net|tls|dns|http|https|http2|dgram|child_process)(/|$)',
      message: 'Renderers do no I/O.',
    },
    // Renderers may name the types a use case returns, never call it.
    restrict(['app'], 'Renderers are pure: only types from src/app.', { allowTypeImports: true }),
  ],
  engine: [
    restrict(
      ['app', 'store', 'report', 'cli', 'commands'],
      'The engine plans and judges; it does not import app, store or report.',
    ),
  ],
  grading: [
    restrict(
      ['app', 'store', 'probes', 'engine', 'report', 'cli', 'commands'],
      'Grades are pure functions of observations.',
    ),
  ],
  store: [
    restrict(
      ['app', 'probes', 'engine', 'report', 'cli', 'commands'],
      'The store persists; it does not import app, probes, engine or report.',
    ),
  ],
  // One backend never imports the other: what both need lives in src/store.
  'store/sqlite': [
    restrict(
      ['app', 'probes', 'engine', 'report', 'cli', 'commands'],
      'The store persists; it does not import app, probes, engine or report.',
    ),
    {
      regex: '^\\.\\./postgres(/|$)',
      message: 'A backend does not import the other: share it in src/store.',
    },
  ],
  'store/postgres': [
    restrict(
      ['app', 'probes', 'engine', 'report', 'cli', 'commands'],
      'The store persists; it does not import app, probes, engine or report.',
    ),
    { regex: '^\\.\\./sqlite(/|$)', message: 'A backend does not import the other: share it in src/store.' },
  ],
  app: [
    // A feature reaches another through its index.ts; app/shared by file (it is the features' kernel).
    {
      regex: '^\\.\\./(?!shared/)[a-z-]+/(?!index\\.js$)',
      message: 'Import another feature through its index.ts.',
    },
    restrict(['cli', 'commands'], 'Use cases do not import the CLI.'),
  ],
  commands: [
    // A command imports its feature's entry only, and lazily in run() (vigie --help loads every command).
    {
      regex: '(^|/)app/(shared/|[a-z-]+/(?!index\\.js$))',
      message: 'A command imports only its feature entry, src/app/<feature>/index.js.',
    },
    restrict(
      ['probes', 'store', 'mail', 'github'],
      'Commands reach probes, store, mail and GitHub through a feature of src/app.',
    ),
  ],
};

const FOLDERS = [
  'app',
  'cli',
  'commands',
  'config',
  'cron',
  'demo',
  'domain',
  'engine',
  'files',
  'github',
  'grading',
  'i18n',
  'mail',
  'playbooks',
  'probes',
  'report',
  'report/png',
  'report/xlsx',
  'scheduler',
  'store',
  'store/sqlite',
  'store/postgres',
  'queue',
];

function layerConfig(dir) {
  const foreign = Object.entries(OWNERS)
    .filter(([, owners]) => !owners.includes(dir))
    .map(([dep, owners]) => ({
      regex: `^${dep.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/|$)`,
      message: `${dep} belongs to src/${owners.join(', src/')}.`,
    }));
  const layers = LAYERS[dir] ?? LAYERS[dir.split('/')[0]] ?? [];
  return {
    files: [`src/${dir}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...foreign, ...layers] }] },
  };
}

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'dist-check', 'coverage', 'bin'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // oclif's Command#run is async by contract, even for commands that do no I/O of their own.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...FOLDERS.map(layerConfig),
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
