import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPortFree } from '../../../infra/ports.ts';
import { freePort, runTs } from '../../helpers/run-cli.ts';

/**
 * What a user sees when the local servers cannot start. Each case runs `infra up` in its
 * own run folder and ports, so the servers of the other tests are not touched.
 */
describe('infra up on bad ground', () => {
  const cleanups: (() => void)[] = [];

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) {
      cleanup();
    }
  });

  function tempDir(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** A PATH with node and nothing else: no java, no go, no mvn. */
  function pathWithOnlyNode(): string {
    const bin = tempDir('only-node');
    symlinkSync(process.execPath, join(bin, 'node'));
    return bin;
  }

  it('refuses a port another program holds, names the variable to move it, and starts nothing', async () => {
    const runDir = tempDir('infra-run');
    const blocker = await listenOn(await freePort());
    cleanups.push(() => blocker.close());
    const kafkaPort = (blocker.address() as { port: number }).port;
    const controllerPort = await freePort();

    const result = await runTs('infra/cli.ts', ['up', 'kafka'], {
      ...process.env,
      INFRA_DIR: runDir,
      KAFKA_PORT: String(kafkaPort),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${kafkaPort}`);
    expect(result.stderr).toContain('KAFKA_PORT=');
    expect(existsSync(join(runDir, 'pids', 'kafka.pid'))).toBe(false);
    expect(await isPortFree(controllerPort)).toBe(true);
  });

  it('says Java 17 is needed when java is missing, and leaves nothing running', async () => {
    const runDir = tempDir('infra-run');
    const [kafkaPort, controllerPort] = [await freePort(), await freePort()];

    const result = await runTs('infra/cli.ts', ['up', 'kafka'], {
      ...process.env,
      PATH: pathWithOnlyNode(),
      INFRA_DIR: runDir,
      KAFKA_PORT: String(kafkaPort),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Java 17 or newer is needed to run Kafka.*`java` was not found/);
    expect(existsSync(join(runDir, 'pids', 'kafka.pid'))).toBe(false);
    expect(await isPortFree(kafkaPort)).toBe(true);
  });

  it('says Go is needed when the S3 server must be built and go is missing', async () => {
    const result = await runTs('infra/cli.ts', ['up', 's3'], {
      ...process.env,
      PATH: pathWithOnlyNode(),
      INFRA_DIR: tempDir('infra-run'),
      INFRA_CACHE_DIR: tempDir('empty-cache'),
      S3_PORT: String(await freePort()),
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Go is needed to build the local S3 server.*`go` was not found/);
  });

  it('names what failed to download, where the log is and what to do, and starts nothing', async () => {
    const runDir = tempDir('infra-run');
    const s3Port = await freePort();

    const result = await runTs('infra/cli.ts', ['up', 's3'], {
      ...process.env,
      INFRA_DIR: runDir,
      INFRA_CACHE_DIR: tempDir('empty-cache'),
      S3_PORT: String(s3Port),
      // A module proxy that refuses every connection, and an empty module cache.
      GOPROXY: 'http://127.0.0.1:1',
      GOMODCACHE: tempDir('empty-modcache'),
      GOFLAGS: '-modcacherw',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Installing versitygw v1.7.0');
    expect(result.stderr).toContain('Check that the Go module proxy can be reached');
    expect(result.stderr).toContain(join(runDir, 'logs', 'install-s3.log'));
    expect(existsSync(join(runDir, 'pids', 's3.pid'))).toBe(false);
    expect(await isPortFree(s3Port)).toBe(true);
  });
});

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
