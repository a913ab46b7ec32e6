import { SPORTS } from '../shared/sports/registry.ts';
import { startFleet } from './fleet.ts';

/**
 * `npm run fleet`: every registered sport's worker as a child process. Ctrl-C or SIGTERM
 * stops them all; a worker that dies of an error stops the others and fails the fleet.
 */
async function main(): Promise<void> {
  const fleet = startFleet({ registry: SPORTS });
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

  for (const [sportId, child] of fleet.children) {
    child.on('exit', (code) => {
      if (!stopping && code !== 0) {
        console.error(`fleet: worker ${sportId} exited with code ${code}; stopping the others`);
        stopAll();
      }
    });
  }

  const codes = await fleet.done;
  const failed = [...codes].filter(([, code]) => code !== 0);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

void main();
