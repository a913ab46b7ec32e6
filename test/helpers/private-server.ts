import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { localServers, type ServerName } from '../../infra/control.ts';
import { loadInfraSettings } from '../../infra/endpoints.ts';
import { stopProcess } from '../../infra/processes.ts';
import { waitUntilReady } from '../../infra/readiness.ts';
import type { LocalServer } from '../../infra/servers/local-server.ts';
import type { InfraSettings } from '../../shared/config/settings.ts';
import { freePort } from './run-cli.ts';

type PortVariable = 'KAFKA_PORT' | 'KAFKA_CONTROLLER_PORT' | 'S3_PORT' | 'PROMETHEUS_PORT';

export interface PrivateServer {
  server: LocalServer;
  /** Starts it (again) and waits until it is usable. */
  start(): Promise<void>;
  /** Stops it as `infra:down` would; its data folder stays for the next start. */
  stop(): Promise<void>;
}

/**
 * A server of one test alone, installed and run by the project's infra code on free ports
 * and in a folder of its own, so that stopping it disturbs no other test. Not started:
 * call `start`. Stopped and removed when the test ends.
 */
export async function privateServer(
  name: ServerName,
  ports: PortVariable[],
): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), `private-${name}-`));
  const settings: InfraSettings = { ...loadInfraSettings(), INFRA_DIR: dir };
  for (const variable of ports) {
    settings[variable] = await freePort();
  }

  const [server] = localServers([name], settings) as [LocalServer];
  await server.install();
  onTestFinished(async () => {
    await stopProcess(server.process);
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    server,
    start: async () => {
      await server.start();
      await waitUntilReady(() => server.ready(), {
        what: server.label,
        timeoutMs: server.startTimeoutMs,
      });
    },
    stop: async () => {
      await stopProcess(server.process);
    },
  };
}
