import { existsSync, rmSync } from 'node:fs';
import type { InfraSettings } from '../shared/config/settings.ts';
import { describeError, FleetError } from '../shared/errors.ts';
import { loadInfraSettings } from './endpoints.ts';
import { infraPaths } from './paths.ts';
import { requireFreePort } from './ports.ts';
import { logTail, runningPid, stopProcess } from './processes.ts';
import { waitUntilReady } from './readiness.ts';
import { dataDirsToReset } from './reset.ts';
import { kafkaServer } from './servers/kafka.ts';
import { type LocalServer, SERVER_NAMES, type ServerName } from './servers/local-server.ts';
import { prometheusServer } from './servers/prometheus.ts';
import { s3Server } from './servers/s3.ts';

export type { ServerName } from './servers/local-server.ts';
export { SERVER_NAMES } from './servers/local-server.ts';

/** Receives one line per step, for the CLI to print and tests to ignore. */
export type Report = (line: string) => void;

export function localServers(
  names: readonly ServerName[] = SERVER_NAMES,
  settings: InfraSettings = loadInfraSettings(),
): LocalServer[] {
  const paths = infraPaths(settings);
  const all = [
    kafkaServer(settings, paths),
    s3Server(settings, paths),
    prometheusServer(settings, paths),
  ];
  return all.filter((server) => names.includes(server.name));
}

/**
 * Installs what is missing, then starts each server that is not already running and waits
 * until it is usable. Idempotent. If any server fails, the ones this call started are
 * stopped again, so a failure never leaves a half-started set behind.
 * Returns the names of the servers it started (not those already running).
 */
export async function up(
  names: readonly ServerName[] = SERVER_NAMES,
  report: Report = () => {},
): Promise<ServerName[]> {
  const servers = localServers(names);
  const started: LocalServer[] = [];

  try {
    for (const server of servers) {
      await server.install();
    }
    for (const server of servers) {
      if (await startIfNeeded(server, report)) {
        started.push(server);
      }
    }
  } catch (error) {
    for (const server of started.reverse()) {
      await stopProcess(server.process);
    }
    throw error;
  }

  return started.map((server) => server.name);
}

async function startIfNeeded(server: LocalServer, report: Report): Promise<boolean> {
  if (runningPid(server.process) !== undefined) {
    await waitForServer(server);
    report(`${server.label}: already running at ${server.address}`);
    return false;
  }

  for (const { port, variable } of server.ports) {
    await requireFreePort(port, server.label, variable);
  }

  report(`${server.label}: starting (log: ${server.process.logFile})`);
  try {
    await server.start();
    await waitForServer(server);
  } catch (error) {
    await stopProcess(server.process);
    throw new FleetError(
      'SERVER_FAILED',
      `${server.label} did not start: ${describeError(error)}\nLog: ${server.process.logFile}\n${logTail(server.process.logFile)}`,
      { cause: error },
    );
  }

  report(`${server.label}: ready at ${server.address}`);
  return true;
}

function waitForServer(server: LocalServer): Promise<void> {
  return waitUntilReady(() => server.ready(), {
    what: server.label,
    timeoutMs: server.startTimeoutMs,
    abortIf: () => (runningPid(server.process) === undefined ? 'the process exited' : undefined),
  });
}

/**
 * Starts only the servers that do not already answer, whoever runs them (this checkout,
 * docker compose, another tool). Returns what it started, for the caller to stop later.
 */
export async function ensureUp(
  names: readonly ServerName[] = SERVER_NAMES,
  report: Report = () => {},
): Promise<ServerName[]> {
  const missing: ServerName[] = [];
  for (const server of localServers(names)) {
    const answering = await server.ready().then(
      () => true,
      () => false,
    );
    if (!answering) {
      missing.push(server.name);
    }
  }

  return missing.length === 0 ? [] : up(missing, report);
}

/** Stops the servers this checkout started (found by their pid files). */
export async function down(
  names: readonly ServerName[] = SERVER_NAMES,
  report: Report = () => {},
  settings: InfraSettings = loadInfraSettings(),
): Promise<void> {
  for (const server of localServers(names, settings).reverse()) {
    const stopped = await stopProcess(server.process);
    report(`${server.label}: ${stopped ? 'stopped' : 'not running'}`);
  }
}

/**
 * Stops the servers, then deletes what they store, for a clean start: every topic and
 * committed offset, every bucket and object, every sample. Logs and the install cache
 * stay; the next `up` starts the servers empty. Only this checkout's servers are touched.
 */
export async function reset(
  names: readonly ServerName[] = SERVER_NAMES,
  report: Report = () => {},
  settings: InfraSettings = loadInfraSettings(),
): Promise<void> {
  // Decided before anything stops, so that a refusal leaves the servers as they were.
  const dirs = dataDirsToReset(infraPaths(settings), names);
  await down(names, report, settings);

  for (const dir of dirs) {
    const had = existsSync(dir);
    rmSync(dir, { recursive: true, force: true });
    report(had ? `deleted ${dir}` : `nothing to delete at ${dir}`);
  }
}

export interface ServerStatus {
  name: ServerName;
  label: string;
  address: string;
  pid: number | undefined;
  healthy: boolean;
  /** Why it is not healthy; absent when it is. */
  detail?: string;
  logFile: string;
}

/** Whether each server runs and answers a real request. */
export async function status(names: readonly ServerName[] = SERVER_NAMES): Promise<ServerStatus[]> {
  return Promise.all(localServers(names).map(statusOf));
}

async function statusOf(server: LocalServer): Promise<ServerStatus> {
  const pid = runningPid(server.process);
  const base = {
    name: server.name,
    label: server.label,
    address: server.address,
    pid,
    logFile: server.process.logFile,
  };
  if (pid === undefined) {
    return { ...base, healthy: false, detail: 'not running' };
  }

  try {
    await server.ready();
    return { ...base, healthy: true };
  } catch (error) {
    return {
      ...base,
      healthy: false,
      detail: `running but not answering: ${describeError(error)}`,
    };
  }
}
