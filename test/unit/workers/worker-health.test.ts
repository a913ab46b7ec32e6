import { describe, expect, it } from 'vitest';
import { WorkerHealth } from '../../../workers/worker-health.ts';

type Step = (health: WorkerHealth) => void;

const cases: [string, Step[], string][] = [
  ['starts as starting', [], 'starting'],
  [
    'waits while S3 cannot be reached at start',
    [(h) => h.bucketWaiting(new Error('down'))],
    'starting',
  ],
  ['is not ready before joining', [(h) => h.bucketReady()], 'starting'],
  ['is ready once it holds a partition', [(h) => h.bucketReady(), (h) => h.joined(2)], 'ready'],
  ['is not ready as an idle replica', [(h) => h.joined(0)], 'starting'],
  ['is not ready while rebalancing', [(h) => h.joined(2), (h) => h.rebalancing()], 'starting'],
  [
    'is not ready while Kafka reconnects',
    [(h) => h.joined(1), (h) => h.kafkaFailed('x')],
    'starting',
  ],
  ['is degraded while S3 writes fail', [(h) => h.joined(1), (h) => h.s3Retried()], 'degraded'],
  [
    'is ready again after a write succeeds',
    [(h) => h.joined(1), (h) => h.s3Retried(), (h) => h.s3Stored()],
    'ready',
  ],
  ['is starting while it stops', [(h) => h.joined(1), (h) => h.stopped()], 'starting'],
];

describe('a worker health', () => {
  it.each(cases)('%s', (_name, steps, expected) => {
    const health = new WorkerHealth();

    for (const step of steps) step(health);

    expect(health.current().status).toBe(expected);
  });
});
