import { spawnSync } from 'node:child_process';
import { FleetError } from '../shared/errors.ts';

/**
 * Checks a command-line tool the local servers need, before anything is started, so a
 * missing tool is one clear sentence instead of a stack trace halfway through.
 */
export function requireTool(command: string, purpose: string, install: string): string {
  const result = spawnSync(command, ['-version'], { encoding: 'utf8' });
  const missing =
    result.error !== undefined && 'code' in result.error && result.error.code === 'ENOENT';
  if (missing) {
    throw new FleetError(
      'TOOL_MISSING',
      `${purpose}, and \`${command}\` was not found on PATH. ${install} Then run the command again.`,
    );
  }

  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

/** Java 17 or newer: Kafka 4 brokers refuse to start on older runtimes. */
export function requireJava17(): void {
  const output = requireTool(
    'java',
    'Java 17 or newer is needed to run Kafka',
    'Install a JDK or JRE 17+ (Debian: apt-get install openjdk-17-jre-headless).',
  );
  const major = Number(/version "(\d+)/.exec(output)?.[1] ?? '0');
  if (major < 17) {
    throw new FleetError(
      'TOOL_TOO_OLD',
      `Kafka 4 needs Java 17 or newer, but \`java -version\` reports ${major || 'an unknown version'}. Put a Java 17+ first on PATH and run again.`,
    );
  }
}

export function requireMaven(): void {
  requireTool(
    'mvn',
    'Maven is needed to fetch the Kafka jars from Maven Central',
    'Install it (Debian: apt-get install maven).',
  );
}

export function requireGo(): void {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (result.error !== undefined) {
    throw new FleetError(
      'TOOL_MISSING',
      'Go is needed to build the local S3 server (versitygw), and `go` was not found on PATH. Install Go 1.25 or newer (https://go.dev/doc/install) and run the command again.',
    );
  }
}
