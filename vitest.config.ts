import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure logic, no servers) and `integration` (real Kafka, S3 server
 * and Prometheus, started by the global setup when they are not already reachable).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores run the broker, the S3 server and Prometheus too: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
