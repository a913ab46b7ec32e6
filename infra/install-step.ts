import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FleetError } from '../shared/errors.ts';

export interface InstallStep {
  /** What is being installed, for the error message. */
  what: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** What the user can do when the step fails. */
  hint: string;
}

/**
 * Runs one download or unpack step in the foreground with its output in a log; a failure
 * names what was being installed, the log, and what to do.
 */
export function runInstallStep(step: InstallStep): void {
  mkdirSync(dirname(step.logFile), { recursive: true });
  appendFileSync(step.logFile, `\n$ ${step.command} ${step.args.join(' ')}\n`);

  const result = spawnSync(step.command, step.args, {
    env: step.env ?? process.env,
    cwd: step.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  appendFileSync(step.logFile, `${result.stdout ?? ''}${result.stderr ?? ''}`);

  if (result.error !== undefined || result.status !== 0) {
    const reason = result.error?.message ?? `exit code ${result.status}`;
    const lastLines = `${result.stdout ?? ''}${result.stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-8)
      .join('\n');
    throw new FleetError(
      'INSTALL_FAILED',
      `Installing ${step.what} failed (${step.command}: ${reason}). ${step.hint}\nFull output: ${step.logFile}\n${lastLines}`,
    );
  }
}
