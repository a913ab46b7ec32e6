/**
 * Placeholder until the infra scripts land: assumes the servers of `npm run infra:up`
 * are already running.
 */
export default async function setup(): Promise<void> {}
