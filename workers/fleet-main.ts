import { loadInfraSettings } from '../infra/endpoints.ts';
import { infraPaths } from '../infra/paths.ts';
import { loadConfig } from '../shared/config/load-config.ts';
import { workerSchema } from '../shared/config/settings.ts';
import { describeError } from '../shared/errors.ts';
import { SPORTS } from '../shared/sports/registry.ts';
import { type RunningFleet, startFleet } from './fleet.ts';

/**
 * `npm run fleet`: every registered sport's worker and the lag exporter as child
 * processes, each registered with the local Prometheus (`npm run infra:up`) while it runs.
 * Ctrl-C or SIGTERM stops them all; a child that dies of an error stops the others and
 * fails the fleet.
 */
async function main(): Promise<void> {
  const settings = loadConfig(workerSchema);
  const targetsDir = infraPaths(loadInfraSettings()).prometheusTargetsDir;
  const fleet = await startFleet({
    registry: SPORTS,
    groupPrefix: settings.WORKER_GROUP_PREFIX,
    prometheusTargetsDir: targetsDir,
  });
  let stopping = false;

  const stopAll = () => {
    stopping = true;
    void fleet.stop();
  };
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  // The children have their own process groups: make sure none outlives the fleet.
  process.on('exit', () => {
    for (const child of fleet.children.values()) child.kill('SIGKILL');
  });

  announce(fleet, targetsDir);
  for (const [name, child] of fleet.children) {
    child.on('exit', (code) => {
      if (!stopping && code !== 0) {
        console.error(`fleet: ${name} exited with code ${code}; stopping the others`);
        stopAll();
      }
    });
  }

  const codes = await fleet.done;
  const failed = [...codes].filter(([, code]) => code !== 0);
  const exits = [...codes].map(([name, code]) => `${name} ${code ?? 'killed'}`).join(', ');
  console.error(`fleet: stopped (exit codes: ${exits})`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

function announce(fleet: RunningFleet, targetsDir: string): void {
  const lines = fleet.members.map(
    (member) =>
      `  ${member.name.padEnd(14)} http://127.0.0.1:${member.metricsPort}/metrics  /healthz`,
  );
  console.error(
    `fleet: ${fleet.members.length} processes (Prometheus targets in ${targetsDir}; Ctrl-C stops all)\n${lines.join('\n')}`,
  );
}

main().catch((error: unknown) => {
  console.error(`fleet: ${describeError(error)}`);
  process.exitCode = 1;
});
