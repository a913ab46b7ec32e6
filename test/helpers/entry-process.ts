import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { PROJECT_ROOT } from '../../infra/paths.ts';

export interface EntryProcess {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Exit code once it exits (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * One of the project's entry points (e.g. `workers/main.ts`) as a real process, started as
 * `npm run` starts it, with only the given variables (plus PATH and HOME). Inside a test
 * it is SIGKILLed when the test ends, so a failed assertion leaves nothing running.
 */
export function spawnEntry(
  entry: string,
  args: string[],
  env: Record<string, string>,
): EntryProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, entry), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  killWhenTestEnds(child);
  return { child, output: () => output, exited };
}

function killWhenTestEnds(child: ChildProcess): void {
  try {
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
  } catch {
    // Started outside a test (in a hook): the caller stops it in its own cleanup.
  }
}
