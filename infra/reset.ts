import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FleetError } from '../shared/errors.ts';
import { type InfraPaths, serverDataDir } from './paths.ts';
import type { ServerName } from './servers/local-server.ts';

/**
 * The folders `infra:reset` deletes: each named server's data folder under the run folder,
 * and nothing else. Logs and pid files stay (the log of the run before the reset is often
 * the reason for it), and so does the install cache, which takes minutes to rebuild.
 * Refuses, before anything is stopped, when INFRA_CACHE_DIR lies inside a data folder.
 */
export function dataDirsToReset(paths: InfraPaths, names: readonly ServerName[]): string[] {
  const dirs = names.map((name) => serverDataDir(paths, name));

  const holdingCache = dirs.find((dir) => contains(dir, paths.cacheDir));
  if (holdingCache !== undefined) {
    throw new FleetError(
      'RESET_REFUSED',
      `Not deleting ${holdingCache}: the installed servers are cached inside it (INFRA_CACHE_DIR=${paths.cacheDir}). Point INFRA_CACHE_DIR outside ${paths.dataDir} and run the command again.`,
    );
  }
  return dirs;
}

/** Whether `inner` is `outer` itself or somewhere below it. */
function contains(outer: string, inner: string): boolean {
  const path = relative(resolve(outer), resolve(inner));
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}
