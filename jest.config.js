/** Native ESM: run with NODE_OPTIONS=--experimental-vm-modules (the npm scripts do). */
const ts = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ts },
  moduleNameMapper: {
    '^#config$': '<rootDir>/libs/config/src/index.ts',
    '^#event-store$': '<rootDir>/libs/event-store/src/index.ts',
    '^#governance$': '<rootDir>/libs/governance/src/index.ts',
    '^#read-models$': '<rootDir>/libs/read-models/src/index.ts',
    '^#storage$': '<rootDir>/libs/storage/src/index.ts',
    '^#storage/database$': '<rootDir>/libs/storage/src/database.ts',
    '^#projector$': '<rootDir>/libs/projector/src/index.ts',
    '^#event-store/testing$': '<rootDir>/libs/event-store/src/testing/index.ts',
    '^#event-store/eventstoredb$': '<rootDir>/libs/event-store/src/eventstoredb/eventstoredb-event-store.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  testTimeout: 30000,
};
