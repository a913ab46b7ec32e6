import { down, ensureUp } from '../../infra/control.ts';

/**
 * Integration tests run against real servers. Those already answering (started by
 * `npm run infra:up`, or docker compose) are used as they are; the others are started
 * with the same code as `infra:up`, and stopped again when the run ends.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const started = await ensureUp(undefined, (line) => console.log(`[infra] ${line}`));

  return async () => {
    if (started.length > 0) {
      await down(started, (line) => console.log(`[infra] ${line}`));
    }
  };
}
