import { loadConfig } from '../shared/config/load-config.ts';
import { pipelineSchema } from '../shared/config/settings.ts';
console.log(loadConfig(pipelineSchema, { KAFKA_BROKERS: 'a:1, b:2' }));
try {
  loadConfig(pipelineSchema, {
    KAFKA_BROKERS: 'nope',
    TOPIC_PARTITIONS: 'x',
    METRICS_PORT: '70000',
    AWS_ENDPOINT_URL_S3: 'zz',
    LOG_LEVEL: 'loud',
  });
} catch (e) {
  console.log(String(e));
}
