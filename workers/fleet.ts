import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { removeTargets, type TargetGroup, writeTargets } from '../infra/prometheus-targets.ts';
import type { SportRegistry } from '../shared/sports/registry.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));
const LAG_EXPORTER_ENTRY = fileURLToPath(new URL('./lag-exporter.ts', import.meta.url));

/** The key of the lag exporter among the fleet's children; the workers use their sport id. */
export const LAG_EXPORTER = 'lag-exporter';

export interface FleetOptions {
  registry: SportRegistry;
  /** Variables of every child (the worker's settings); the parent's are passed through. */
  env?: Record<string, string>;
  /** Group id prefix of the workers; the lag exporter reports exactly those groups. */
  groupPrefix?: string;
  /** Where the children's output goes: the parent's terminal, or nowhere. */
  output?: 'inherit' | 'ignore';
  /**
   * Prometheus's file-based discovery folder: while the fleet runs, every child is a target
   * there, labelled `service` and `sport`. Default: not registered anywhere.
   */
  prometheusTargetsDir?: string;
  /** Name of the fleet's targets file in that folder. Default `fleet-<pid>`. */
  targetsOwner?: string;
}

/** One child: a sport's worker or the lag exporter, and where its metrics are served. */
export interface FleetMember {
  name: string;
  service: 'worker' | 'lag-exporter';
  sport?: string;
  metricsPort: number;
  process: ChildProcess;
}

export interface RunningFleet {
  /** Keyed by sport id, and `lag-exporter`. */
  children: ReadonlyMap<string, ChildProcess>;
  members: readonly FleetMember[];
  /** Resolves with every child's exit code once all have exited. */
  done: Promise<Map<string, number | null>>;
  /** SIGTERM to every child; resolves when all have exited. */
  stop(): Promise<Map<string, number | null>>;
}

/**
 * One worker process per registered sport, and the lag exporter, each serving its
 * metrics on a port of its own. Each child runs in its own process group, so a Ctrl-C on
 * the terminal reaches the fleet once and the fleet passes one SIGTERM on: a worker given
 * two signals would stop waiting for its batch.
 */
export async function startFleet(options: FleetOptions): Promise<RunningFleet> {
  const ports = await freePorts(options.registry.length + 1);
  const members: FleetMember[] = options.registry.map((sport, index) => ({
    name: sport.id,
    service: 'worker',
    sport: sport.id,
    metricsPort: ports[index] as number,
    process: spawnWorker(sport.id, ports[index] as number, options),
  }));

  const exporterPort = ports[options.registry.length] as number;
  members.push({
    name: LAG_EXPORTER,
    service: 'lag-exporter',
    metricsPort: exporterPort,
    process: spawnLagExporter(exporterPort, options),
  });

  const children = new Map(members.map((member) => [member.name, member.process]));
  const unregister = registerTargets(members, options);
  const done = waitForAll(children).finally(unregister);
  let stopRequested = false;

  // One SIGTERM per child, however often stop() is called: a second one would make a
  // worker give up its batch in flight.
  const stop = () => {
    if (stopRequested) {
      return done;
    }
    stopRequested = true;

    for (const child of children.values()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
    }
    return done;
  };

  return { children, members, done, stop };
}

function spawnWorker(sportId: string, port: number, options: FleetOptions): ChildProcess {
  const env: Record<string, string> = { METRICS_PORT: String(port) };
  if (options.groupPrefix !== undefined) {
    env.WORKER_GROUP_PREFIX = options.groupPrefix;
  }

  return spawnChild([WORKER_ENTRY, '--sport', sportId], env, options);
}

function spawnLagExporter(port: number, options: FleetOptions): ChildProcess {
  const env: Record<string, string> = { METRICS_PORT: String(port) };
  if (options.groupPrefix !== undefined) {
    env.LAG_GROUP_PATTERN = `^${escapeRegExp(options.groupPrefix)}`;
  }

  return spawnChild([LAG_EXPORTER_ENTRY], env, options);
}

function spawnChild(
  args: string[],
  own: Record<string, string>,
  options: FleetOptions,
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...options.env, ...own },
    stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'],
    detached: true,
  });
}

/** Writes the fleet's targets file; returns what removes it again. */
function registerTargets(members: FleetMember[], options: FleetOptions): () => void {
  const dir = options.prometheusTargetsDir;
  if (dir === undefined) {
    return () => {};
  }

  const owner = options.targetsOwner ?? `fleet-${process.pid}`;
  const groups: TargetGroup[] = members.map((member) => ({
    targets: [`127.0.0.1:${member.metricsPort}`],
    labels: {
      service: member.service,
      ...(member.sport === undefined ? {} : { sport: member.sport }),
    },
  }));

  writeTargets(dir, owner, groups);
  return () => removeTargets(dir, owner);
}

/**
 * Ports nothing listens on, all different: each is held open until all are found. A
 * process could still take one before the child binds it; the child then fails with a
 * message naming METRICS_PORT.
 */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];

  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }

    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitForAll(children: Map<string, ChildProcess>) {
  const codes = new Map<string, number | null>();

  await Promise.all(
    [...children].map(async ([name, child]) => {
      if (child.exitCode === null && child.signalCode === null) {
        await once(child, 'exit');
      }
      codes.set(name, child.exitCode);
    }),
  );

  return codes;
}
