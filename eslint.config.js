import tseslint from 'typescript-eslint';

/** Modules the pure domain must never import: frameworks, storage, the event store, the clock's owners. */
export const domainForbiddenImports = [
  '@nestjs/*',
  'typeorm',
  'typeorm/*',
  'pg',
  'pg-*',
  '@eventstore/*',
  '@electric-sql/*',
  'node:*',
  'class-validator',
  'class-transformer',
  'rxjs',
];

export const domainFiles = ['libs/governance/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-artifacts/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  {
    // Nest resolves constructor parameters from emitted metadata, so their classes must stay value imports.
    files: ['apps/**/*.ts', 'libs/storage/**/*.ts', 'libs/projector/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // The boundary: domain logic is pure — no framework, storage, I/O, clock or randomness.
    files: domainFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: domainForbiddenImports,
              message: 'The domain is pure: no framework, storage or I/O. Depend on it from the outside instead.',
            },
            {
              // Subpath imports start with "#", which gitignore-style groups read as a comment.
              regex: '^#(event-store|config)(/|$)',
              message: 'The domain is pure: it does not know the event store or the configuration.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The domain takes `now` from the command.',
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'The domain takes `now` from the command.',
        },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'New ids arrive in the command.' },
        { selector: "Identifier[name='process']", message: 'The domain reads no environment.' },
      ],
    },
  },
);
