// Three rungs: unit (next to the code, mocked repositories), integration (real PostgreSQL, Redis,
// Kafka) and end-to-end (the services as separate processes). Select one with --selectProjects.
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }] },
  moduleNameMapper: { '^@nmirf/(contracts|platform|testing)$': '<rootDir>/libs/$1/src' },
  rootDir: __dirname,
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services}/*/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{libs,services}/*/src/**/*.int-spec.ts',
        '<rootDir>/tests/contracts/**/*.test.ts',
      ],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.e2e.ts'] },
  ],
};
