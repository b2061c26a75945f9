// Three rungs: unit (next to the code, mocked repositories), integration (real PostgreSQL, Redis,
// Kafka) and end-to-end (the services as separate processes), plus chaos (end-to-end under faults).
// Select one with --selectProjects.
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
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.e2e.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/e2e/hang-guard.ts'],
    },
    // Bad inputs from the OpenAPI documents against the running services (tests/fuzz).
    { ...common, displayName: 'fuzz', testMatch: ['<rootDir>/tests/fuzz/**/*.fuzz.ts'] },
    // Faults under load (tests/chaos/README.md); the teardown prints the run's table.
    {
      ...common,
      displayName: 'chaos',
      testMatch: ['<rootDir>/tests/chaos/**/*.chaos.ts'],
      globalSetup: '<rootDir>/tests/chaos/global-setup.ts',
      globalTeardown: '<rootDir>/tests/chaos/global-teardown.ts',
    },
  ],
};
