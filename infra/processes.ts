import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Background server processes, tracked by pid files so that `infra:down` and
 * `infra:status` find what `infra:up` started, from any shell.
 */
export interface ServerProcess {
  name: string;
  pidFile: string;
  logFile: string;
}

export function serverProcess(name: string, pidsDir: string, logsDir: string): ServerProcess {
  return { name, pidFile: join(pidsDir, `${name}.pid`), logFile: join(logsDir, `${name}.log`) };
}

export interface StartOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts a server detached from this process (it outlives `infra:up`), output to its log. */
export function startDetached(server: ServerProcess, options: StartOptions): number {
  mkdirSync(join(server.pidFile, '..'), { recursive: true });
  mkdirSync(join(server.logFile, '..'), { recursive: true });

  const log = openSync(server.logFile, 'a');
  const child = spawn(options.command, options.args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  closeSync(log);
  child.unref();

  if (child.pid === undefined) {
    throw new Error(`could not start ${options.command}: no process id`);
  }
  writeFileSync(server.pidFile, `${child.pid}\n`);
  return child.pid;
}

/** The pid of a server this project started and that is still alive, or undefined. */
export function runningPid(server: ServerProcess): number | undefined {
  if (!existsSync(server.pidFile)) {
    return undefined;
  }

  const pid = Number(readFileSync(server.pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    return pid;
  }

  // The process is gone (crashed, or the machine restarted): the pid file is stale.
  rmSync(server.pidFile, { force: true });
  return undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

/** A killed child of a still-running parent lingers as a zombie; it is not running. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** SIGTERM (servers shut down cleanly on it), then SIGKILL if one is still there. */
export async function stopProcess(server: ServerProcess, graceMs = 30_000): Promise<boolean> {
  const pid = runningPid(server);
  if (pid === undefined) {
    return false;
  }

  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) {
    await sleep(200);
  }
  if (isAlive(pid)) {
    signal(pid, 'SIGKILL');
    await sleep(500);
  }

  rmSync(server.pidFile, { force: true });
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone between the check and the signal: that is what we wanted.
  }
}

/** The last lines of a log, to show with an error. */
export function logTail(logFile: string, lines = 15): string {
  if (!existsSync(logFile)) {
    return '(no log written)';
  }

  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
