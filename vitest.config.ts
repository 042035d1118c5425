import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'targets/**/*.test.ts', 'test-binaries/**/*.test.ts', 'scripts/**/*.test.ts', 'plugins/**/*.test.ts'],
    testTimeout: 60000,
    pool: 'forks',
  },
});
