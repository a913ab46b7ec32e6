import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../../shared/config/load-config.ts';
import { infraSchema, pipelineSchema } from '../../../../shared/config/settings.ts';

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = loadConfig(pipelineSchema, {});

    expect(config.KAFKA_BROKERS).toEqual(['localhost:9092']);
    expect(config.KAFKA_TOPIC).toBe('datos_strava');
    expect(config.TOPIC_PARTITIONS).toBe(6);
    expect(config.S3_BUCKET).toBe('strava-data');
    expect(config.AWS_REGION).toBe('us-east-1');
  });

  it('splits a broker list and treats an empty variable as unset', () => {
    const config = loadConfig(pipelineSchema, { KAFKA_BROKERS: 'a:1, b:2', KAFKA_TOPIC: '' });

    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.KAFKA_TOPIC).toBe('datos_strava');
  });

  it('names every bad variable, what it holds and what is expected, in one error', () => {
    const attempt = () =>
      loadConfig(pipelineSchema, {
        KAFKA_BROKERS: 'no-port',
        TOPIC_PARTITIONS: 'six',
        LOG_LEVEL: 'loud',
      });

    expect(attempt).toThrow(ConfigError);
    const problems = captureProblems(attempt);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^KAFKA_BROKERS: .*host:port .*"no-port"/);
    expect(problems[1]).toMatch(/^TOPIC_PARTITIONS: expected a number \(found "six"\)/);
    expect(problems[2]).toMatch(/^LOG_LEVEL: expected one of .*\(found "loud"\)/);
  });

  it.each(['my topic', 'a/b', '..', 'x'.repeat(250)])(
    "rejects the topic name %j with Kafka's rule",
    (name) => {
      const problems = captureProblems(() => loadConfig(pipelineSchema, { KAFKA_TOPIC: name }));

      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^KAFKA_TOPIC: expected a topic name of 1 to 249 letters/);
    },
  );

  it('rejects a port out of range', () => {
    const problems = captureProblems(() =>
      loadConfig(infraSchema, { HOME: '/h', KAFKA_PORT: '70000' }),
    );

    expect(problems).toEqual([
      expect.stringMatching(/^KAFKA_PORT: expected a port from 1 to 65535/),
    ]);
  });

  it('returns a frozen object', () => {
    const config = loadConfig(pipelineSchema, {});

    expect(Object.isFrozen(config)).toBe(true);
  });
});

function captureProblems(attempt: () => unknown): string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
  }
  return [];
}
