import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { InfraSettings } from '../../shared/config/settings.ts';
import { FleetError } from '../../shared/errors.ts';
import { runInstallStep } from '../install-step.ts';
import { type InfraPaths, PROJECT_ROOT, serverDataDir } from '../paths.ts';
import { serverProcess, startDetached } from '../processes.ts';
import { requireTool } from '../tool-check.ts';
import { VERSIONS } from '../versions.ts';
import type { LocalServer } from './local-server.ts';

/**
 * Prometheus from Debian's package, unpacked into the cache (not installed system-wide,
 * so no init script starts a second copy on 0.0.0.0) and run with the project's config.
 */
export function prometheusServer(settings: InfraSettings, paths: InfraPaths): LocalServer {
  const process = serverProcess('prometheus', paths.pidsDir, paths.logsDir);
  const url = `http://127.0.0.1:${settings.PROMETHEUS_PORT}`;
  const binary = join(paths.prometheusRoot, 'usr', 'bin', 'prometheus');
  const configFile = join(paths.runDir, 'prometheus', 'prometheus.yml');

  return {
    name: 'prometheus',
    label: `Prometheus ${VERSIONS.prometheus.split('+')[0]}`,
    address: url,
    ports: [{ port: settings.PROMETHEUS_PORT, variable: 'PROMETHEUS_PORT' }],
    process,
    startTimeoutMs: 30_000,

    async install() {
      if (!existsSync(binary)) {
        installFromDebian(paths);
      }
    },

    async start() {
      writeConfig(settings, paths, configFile);
      startDetached(process, {
        command: binary,
        args: [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${serverDataDir(paths, 'prometheus')}`,
          '--storage.tsdb.retention.time=7d',
          `--web.listen-address=127.0.0.1:${settings.PROMETHEUS_PORT}`,
          '--web.enable-lifecycle',
        ],
      });
    },

    async ready() {
      const ready = await fetch(`${url}/-/ready`);
      if (!ready.ok) {
        throw new Error(`/-/ready answered ${ready.status}`);
      }
      const query = await fetch(`${url}/api/v1/query?query=up`);
      const body = (await query.json()) as { status?: string };
      if (body.status !== 'success') {
        throw new Error(`a query answered ${JSON.stringify(body)}`);
      }
    },
  };
}

/** `apt-get download` + `dpkg-deb -x`: the package's files, without root-owned side effects. */
function installFromDebian(paths: InfraPaths): void {
  requireTool(
    'apt-get',
    'apt-get is needed to fetch Prometheus from Debian',
    'Run on Debian or Ubuntu, or use docker compose.',
  );
  const downloads = join(paths.cacheDir, 'downloads');
  const logFile = join(paths.logsDir, 'install-prometheus.log');
  mkdirSync(downloads, { recursive: true });

  downloadPackage(downloads, logFile);
  const deb = readdirSync(downloads).find(
    (name) => name.startsWith('prometheus_') && name.endsWith('.deb'),
  );
  if (deb === undefined) {
    throw new FleetError(
      'INSTALL_FAILED',
      `apt-get download left no prometheus .deb in ${downloads}; see ${logFile}.`,
    );
  }

  const partial = `${paths.prometheusRoot}.partial`;
  rmSync(partial, { recursive: true, force: true });
  runInstallStep({
    what: 'Prometheus (unpacking the Debian package)',
    command: 'dpkg-deb',
    args: ['-x', join(downloads, deb), partial],
    logFile,
    hint: 'Check free disk space and run the command again.',
  });
  rmSync(paths.prometheusRoot, { recursive: true, force: true });
  renameSync(partial, paths.prometheusRoot);
}

/** A fresh machine may have no package lists yet: refresh them once and try again. */
function downloadPackage(downloads: string, logFile: string): void {
  const step = {
    what: `Prometheus ${VERSIONS.prometheus} from Debian`,
    command: 'apt-get',
    args: ['download', `prometheus=${VERSIONS.prometheus}`],
    cwd: downloads,
    logFile,
    hint: 'Check that the Debian package mirror can be reached (apt-get update) and run the command again.',
  };

  try {
    runInstallStep(step);
  } catch {
    runInstallStep({ ...step, what: 'the Debian package lists', args: ['update', '-qq'] });
    runInstallStep(step);
  }
}

function writeConfig(settings: InfraSettings, paths: InfraPaths, target: string): void {
  const template = readFileSync(
    join(PROJECT_ROOT, 'infra', 'prometheus', 'prometheus.yml'),
    'utf8',
  );
  const filled = template
    .replaceAll('@PROMETHEUS_PORT@', String(settings.PROMETHEUS_PORT))
    .replaceAll('@TARGETS_DIR@', paths.prometheusTargetsDir);

  mkdirSync(paths.prometheusTargetsDir, { recursive: true });
  writeFileSync(target, filled);
}
