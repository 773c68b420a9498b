// Three projects selected by file suffix (STYLE.md 9): unit (*.test.ts, no server), integration
// (*.integration.test.ts, needs redis-server) and e2e (*.e2e.test.ts, spawns the built rfx).
// Sources resolve through the "@redis-forensics/source" export condition, so no build is needed.

import { defineConfig } from 'vitest/config';

const conditions = ['@redis-forensics/source', 'import', 'module', 'node', 'default'];

const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@redis-forensics/source'] } },
};

export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.integration.test.ts', 'test/**/*.integration.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['packages/*/test/**/*.e2e.test.ts', 'test/**/*.e2e.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
