import { describe, expect, it } from 'vitest';
import { infraPaths } from '../../../infra/paths.ts';
import { dataDirsToReset } from '../../../infra/reset.ts';
import { loadConfig } from '../../../shared/config/load-config.ts';
import { infraSchema } from '../../../shared/config/settings.ts';

const pathsFor = (env: Record<string, string>) =>
  infraPaths(loadConfig(infraSchema, { HOME: '/home/u', INFRA_DIR: '/p/.infra', ...env }));

describe('dataDirsToReset', () => {
  it("deletes each server's data folder under the run folder, nothing more", () => {
    const dirs = dataDirsToReset(pathsFor({}), ['kafka', 's3', 'prometheus']);

    expect(dirs).toEqual([
      '/p/.infra/data/kafka',
      '/p/.infra/data/s3',
      '/p/.infra/data/prometheus',
    ]);
  });

  it('touches only the servers it is given', () => {
    expect(dataDirsToReset(pathsFor({}), ['s3'])).toEqual(['/p/.infra/data/s3']);
  });

  it('keeps the logs, the pid files and the install cache under $HOME', () => {
    const paths = pathsFor({});

    const dirs = dataDirsToReset(paths, ['kafka', 's3', 'prometheus']);

    const kept = [paths.logsDir, paths.pidsDir, paths.cacheDir, paths.versitygwBin, paths.kafkaLib];
    expect(paths.cacheDir).toBe('/home/u/.cache/strava-fleet');
    expect(kept.filter((path) => dirs.some((dir) => path.startsWith(`${dir}/`)))).toEqual([]);
  });

  it('allows a cache that merely sits next to the data, or in a folder with a similar name', () => {
    const paths = pathsFor({ INFRA_CACHE_DIR: '/p/.infra/data/s3-cache' });

    expect(dataDirsToReset(paths, ['s3'])).toEqual(['/p/.infra/data/s3']);
  });

  it.each(['/p/.infra/data/kafka', '/p/.infra/data/kafka/cache'])(
    'refuses, saying what to change, when the install cache %s is inside a data folder',
    (cache) => {
      const paths = pathsFor({ INFRA_CACHE_DIR: cache });

      expect(() => dataDirsToReset(paths, ['kafka'])).toThrow(
        /Not deleting \/p\/\.infra\/data\/kafka: the installed servers are cached inside it.*Point INFRA_CACHE_DIR outside \/p\/\.infra\/data/,
      );
    },
  );
});
