import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { InfraSettings } from '../../shared/config/settings.ts';
import { createS3Client } from '../../shared/s3/client.ts';
import { runInstallStep } from '../install-step.ts';
import { type InfraPaths, serverDataDir } from '../paths.ts';
import { serverProcess, startDetached } from '../processes.ts';
import { requireGo } from '../tool-check.ts';
import { VERSIONS } from '../versions.ts';
import type { LocalServer } from './local-server.ts';

/**
 * versitygw: an Apache-2.0 S3 gateway over a plain folder, built from the Go module proxy.
 * MinIO (what docker-compose.yml runs) is AGPL and not obtainable here; both speak S3.
 */
export function s3Server(settings: InfraSettings, paths: InfraPaths): LocalServer {
  const process = serverProcess('s3', paths.pidsDir, paths.logsDir);
  const endpoint = `http://127.0.0.1:${settings.S3_PORT}`;

  return {
    name: 's3',
    label: `S3 server (versitygw ${VERSIONS.versitygw})`,
    address: endpoint,
    ports: [{ port: settings.S3_PORT, variable: 'S3_PORT' }],
    process,
    startTimeoutMs: 30_000,

    async install() {
      installVersitygw(paths);
    },

    async start() {
      const objects = join(serverDataDir(paths, 's3'), 'objects');
      const metadata = join(serverDataDir(paths, 's3'), 'metadata');
      mkdirSync(objects, { recursive: true });
      mkdirSync(metadata, { recursive: true });

      startDetached(process, {
        command: paths.versitygwBin,
        // --sidecar keeps object metadata in files: not every filesystem supports xattrs.
        args: [
          '--port',
          `127.0.0.1:${settings.S3_PORT}`,
          '--health',
          '/health',
          'posix',
          '--sidecar',
          metadata,
          objects,
        ],
        env: {
          ...globalThis.process.env,
          ROOT_ACCESS_KEY: settings.AWS_ACCESS_KEY_ID,
          ROOT_SECRET_KEY: settings.AWS_SECRET_ACCESS_KEY,
        },
      });
    },

    async ready() {
      const client = createS3Client({
        AWS_ENDPOINT_URL_S3: endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: settings.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: settings.AWS_SECRET_ACCESS_KEY,
      });
      try {
        await client.send(new ListBucketsCommand({}));
      } finally {
        client.destroy();
      }
    },
  };
}

function installVersitygw(paths: InfraPaths): void {
  if (existsSync(paths.versitygwBin)) {
    return;
  }

  requireGo();
  runInstallStep({
    what: `versitygw ${VERSIONS.versitygw} (go install, about a minute the first time)`,
    command: 'go',
    args: ['install', `github.com/versity/versitygw/cmd/versitygw@${VERSIONS.versitygw}`],
    env: { ...process.env, GOBIN: dirname(paths.versitygwBin), CGO_ENABLED: '0' },
    logFile: join(paths.logsDir, 'install-s3.log'),
    hint: 'Check that the Go module proxy can be reached (go env GOPROXY) and run the command again.',
  });
}
