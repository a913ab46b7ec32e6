import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../../infra/control.ts';
import { statusLine } from '../../../infra/status-line.ts';

const kafka: ServerStatus = {
  name: 'kafka',
  label: 'Kafka 4.1.2 (KRaft)',
  address: '127.0.0.1:9092',
  pid: 4242,
  healthy: true,
  logFile: '/p/.infra/logs/kafka.log',
};

describe('statusLine', () => {
  it('says healthy once, with the address, pid and log', () => {
    const line = statusLine(kafka);

    expect(line).toBe(
      'healthy   Kafka 4.1.2 (KRaft) at 127.0.0.1:9092, pid 4242 (log: /p/.infra/logs/kafka.log)',
    );
    expect(line.match(/healthy/g)).toHaveLength(1);
  });

  it('says why a server that runs is not healthy', () => {
    const line = statusLine({
      ...kafka,
      healthy: false,
      detail: 'running but not answering: connect ECONNREFUSED 127.0.0.1:9092',
    });

    expect(line).toBe(
      'UNHEALTHY Kafka 4.1.2 (KRaft) at 127.0.0.1:9092, pid 4242: running but not answering: ' +
        'connect ECONNREFUSED 127.0.0.1:9092 (log: /p/.infra/logs/kafka.log)',
    );
  });

  it('leaves the pid out when the server is not running', () => {
    const line = statusLine({ ...kafka, pid: undefined, healthy: false, detail: 'not running' });

    expect(line).toBe(
      'UNHEALTHY Kafka 4.1.2 (KRaft) at 127.0.0.1:9092: not running (log: /p/.infra/logs/kafka.log)',
    );
  });
});
