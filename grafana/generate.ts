import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetDashboard } from './fleet-dashboard.ts';

/** Every dashboard, by the file name it is committed under in grafana/dashboards/. */
export const DASHBOARDS = {
  'fleet.json': fleetDashboard,
} as const;

/** The JSON of a dashboard as committed: stable key order from the builder, 2-space indent. */
export function dashboardJson(build: () => unknown): string {
  return `${JSON.stringify(build(), null, 2)}\n`;
}

/** `npm run dashboards`: regenerates the committed JSON from the code. */
function main(): void {
  const folder = join(import.meta.dirname, 'dashboards');

  for (const [file, build] of Object.entries(DASHBOARDS)) {
    writeFileSync(join(folder, file), dashboardJson(build));
    console.log(`wrote grafana/dashboards/${file}`);
  }
}

if (process.argv[1] === import.meta.filename) {
  main();
}
