import type { ServerStatus } from './control.ts';

/**
 * One line of `npm run infra:status`. The verdict leads, so a healthy server is not
 * described twice; a server that is not healthy says why, before where its log is.
 */
export function statusLine(server: ServerStatus): string {
  const verdict = server.healthy ? 'healthy  ' : 'UNHEALTHY';
  const pid = server.pid === undefined ? '' : `, pid ${server.pid}`;
  const why = server.detail === undefined ? '' : `: ${server.detail}`;
  return `${verdict} ${server.label} at ${server.address}${pid}${why} (log: ${server.logFile})`;
}
