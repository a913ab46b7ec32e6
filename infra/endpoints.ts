import { loadConfig } from '../shared/config/load-config.ts';
import { type InfraSettings, infraSchema } from '../shared/config/settings.ts';

/** How a client reaches the local servers that `npm run infra:up` starts. */
export interface LocalEndpoints {
  brokers: string[];
  s3: {
    AWS_ENDPOINT_URL_S3: string;
    AWS_REGION: string;
    AWS_ACCESS_KEY_ID: string;
    AWS_SECRET_ACCESS_KEY: string;
  };
  prometheusUrl: string;
}

export function loadInfraSettings(): Readonly<InfraSettings> {
  return loadConfig(infraSchema);
}

export function localEndpoints(settings: InfraSettings = loadInfraSettings()): LocalEndpoints {
  return {
    brokers: [`127.0.0.1:${settings.KAFKA_PORT}`],
    s3: {
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${settings.S3_PORT}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: settings.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: settings.AWS_SECRET_ACCESS_KEY,
    },
    prometheusUrl: `http://127.0.0.1:${settings.PROMETHEUS_PORT}`,
  };
}
