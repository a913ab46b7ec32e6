import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { SportRegistry } from '../shared/sports/registry.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface FleetOptions {
  registry: SportRegistry;
  /** Variables of every child (the worker's settings); the parent's are passed through. */
  env?: Record<string, string>;
  /** Where the children's output goes: the parent's terminal, or nowhere. */
  output?: 'inherit' | 'ignore';
}

export interface RunningFleet {
  children: ReadonlyMap<string, ChildProcess>;
  /** Resolves with every child's exit code once all have exited. */
  done: Promise<Map<string, number | null>>;
  /** SIGTERM to every child; resolves when all have exited. */
  stop(): Promise<Map<string, number | null>>;
}

/**
 * One worker process per registered sport. Each child runs in its own process group, so a
 * Ctrl-C on the terminal reaches the fleet once and the fleet passes one SIGTERM on:
 * a worker given two signals would stop waiting for its batch.
 */
export function startFleet(options: FleetOptions): RunningFleet {
  const children = new Map<string, ChildProcess>();

  for (const sport of options.registry) {
    children.set(sport.id, spawnWorker(sport.id, options));
  }

  const done = waitForAll(children);
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

  return { children, done, stop };
}

function spawnWorker(sportId: string, options: FleetOptions): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER_ENTRY, '--sport', sportId], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'],
    detached: true,
  });
}

async function waitForAll(children: Map<string, ChildProcess>) {
  const codes = new Map<string, number | null>();

  await Promise.all(
    [...children].map(async ([sportId, child]) => {
      if (child.exitCode === null && child.signalCode === null) {
        await once(child, 'exit');
      }
      codes.set(sportId, child.exitCode);
    }),
  );

  return codes;
}
