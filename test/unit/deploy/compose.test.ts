import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../../infra/paths.ts';
import { VERSIONS } from '../../../infra/versions.ts';
import {
  infraSchema,
  lagExporterSchema,
  pipelineSchema,
  producerSchema,
  workerSchema,
} from '../../../shared/config/settings.ts';
import { SPORTS } from '../../../shared/sports/registry.ts';

interface Service {
  image?: string;
  command?: string[];
  container_name?: string;
  ports?: string[];
  environment?: Record<string, unknown>;
  volumes?: string[];
  networks?: { default?: { aliases?: string[] } };
}

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const workers = Object.entries(services).filter(([name]) => name.startsWith('worker-'));
const prometheus = parse(read('infra/prometheus/compose.yml')) as {
  scrape_configs: {
    job_name: string;
    dns_sd_configs?: { names: string[]; port: number }[];
    static_configs?: { targets: string[] }[];
  }[];
};

/** The config schema each of the project's services loads, by the entry it runs. */
const schemaByEntry = {
  'workers/main.ts': workerSchema,
  'producer/main.ts': producerSchema,
  'workers/lag-exporter.ts': lagExporterSchema,
};

const tagOf = (service: string) => services[service]?.image?.split(':')[1];

describe('docker-compose.yml', () => {
  it('has one worker service per registered sport, and none for a sport it does not know', () => {
    const sports = workers.map(([name, service]) => [name, service.environment?.SPORT]);

    expect(sports).toEqual(SPORTS.map((sport) => [`worker-${sport.id}`, sport.id]));
  });

  it.each(workers)('runs %s as scalable replicas: no container_name, no host ports', (_, svc) => {
    expect(svc.container_name).toBeUndefined();
    expect(svc.ports).toBeUndefined();
    expect(svc.command).toEqual(['workers/main.ts']);
  });

  it.each(Object.entries(services).filter(([, service]) => service.command?.[0]?.endsWith('.ts')))(
    'gives %s only variables its config schema knows',
    (_, service) => {
      const entry = service.command?.[0] as keyof typeof schemaByEntry;
      const known = Object.keys(schemaByEntry[entry].shape);

      const unknown = Object.keys(service.environment ?? {}).filter((key) => !known.includes(key));

      expect(unknown).toEqual([]);
    },
  );

  it('pins the versions the local scripts run', () => {
    const prometheusVersion = VERSIONS.prometheus.split('+')[0];

    expect(tagOf('kafka')).toBe(VERSIONS.kafka);
    expect(services.kafka?.image).toMatch(/^apache\/kafka:/);
    expect(tagOf('prometheus')).toBe(`v${prometheusVersion}`);
    expect(tagOf('minio')).toMatch(/^RELEASE\./);
    expect(tagOf('grafana')).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('sets Kafka as infra/kafka/server.properties does', () => {
    const properties = read('infra/kafka/server.properties')
      .split('\n')
      .filter((line) => line.includes('=') && !line.startsWith('#') && !line.includes('@'))
      .filter((line) => !/listener|^controller\.quorum/.test(line))
      .map((line) => line.split('='));
    const environment = services.kafka?.environment ?? {};

    const differences = properties.filter(([key = '', value]) => {
      const variable = `KAFKA_${key.toUpperCase().replaceAll('.', '_')}`;
      return String(environment[variable]) !== value;
    });

    expect(properties.length).toBeGreaterThan(10);
    expect(differences).toEqual([]);
  });

  it('mounts only files and folders that exist in the repository', () => {
    const binds = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .filter((volume) => volume.startsWith('./'))
      .map((volume) => volume.split(':')[0] ?? '');

    const missing = binds.filter((path) => !existsSync(join(PROJECT_ROOT, path)));

    expect(binds.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('provisions Grafana with files that exist where the container looks for them', () => {
    const grafana = services.grafana as Service;
    const hostPath = (containerPath: string) => {
      const bind = (grafana.volumes ?? [])
        .map((volume) => volume.split(':'))
        .find(([, target]) => target && containerPath.startsWith(target));
      return bind ? join(PROJECT_ROOT, (bind[0] ?? '') + containerPath.slice(bind[1]?.length)) : '';
    };
    const provider = parse(read('grafana/provisioning/dashboards/strava-fleet.yml')) as {
      providers: { options: { path: string } }[];
    };

    const home = String(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH);
    const dashboards = provider.providers.map((p) => hostPath(p.options.path));

    expect(existsSync(hostPath(home))).toBe(true);
    expect(dashboards.every((folder) => existsSync(join(folder, 'fleet.json')))).toBe(true);
    expect(existsSync(hostPath('/etc/grafana/provisioning/datasources/prometheus.yml'))).toBe(true);
  });

  it('lets Prometheus find every worker replica through the alias all workers share', () => {
    const job = prometheus.scrape_configs.find((c) => c.job_name === 'strava-workers');
    const [dns] = job?.dns_sd_configs ?? [];

    const aliases = workers.map(([, service]) => service.networks?.default?.aliases);

    expect(aliases.every((list) => list?.includes(dns?.names[0] ?? '?'))).toBe(true);
    expect(
      workers.every(([, s]) => String(s.environment?.METRICS_PORT) === String(dns?.port)),
    ).toBe(true);
  });

  it('scrapes the lag exporter on the port it listens on', () => {
    const job = prometheus.scrape_configs.find((c) => c.job_name === 'strava-lag-exporter');

    const target = job?.static_configs?.[0]?.targets[0];

    const port = services['lag-exporter']?.environment?.METRICS_PORT;
    expect(target).toBe(`lag-exporter:${port}`);
  });

  it('is accepted by docker-compose config (install it with apt-get install docker-compose)', () => {
    const run = () =>
      execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
        cwd: PROJECT_ROOT,
        stdio: 'pipe',
      });

    expect(run).not.toThrow();
  });
});

/** Every schema a process of the project loads its environment with. */
const allSchemas = { pipelineSchema, producerSchema, workerSchema, lagExporterSchema, infraSchema };

describe('.env.example', () => {
  const example = read('.env.example');
  /** `NAME=value` lines, and `# NAME=value` ones: shown, but with no single default. */
  const lines = [...example.matchAll(/^(# )?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(
    ([, comment, name = '', value = '']) => ({ name, value, commented: comment !== undefined }),
  );
  const assigned = Object.fromEntries(
    lines.filter((line) => !line.commented).map((line) => [line.name, line.value]),
  );

  it('lists every variable docker-compose.yml reads from the environment, with its default', () => {
    const used = [...read('docker-compose.yml').matchAll(/\$\{(\w+):-([^}]*)\}/g)];

    const missing = used.filter(([, name, value]) => !example.includes(`\n${name}=${value}\n`));

    expect(used.length).toBeGreaterThan(10);
    expect(missing.map(([whole]) => whole)).toEqual([]);
  });

  it.each(Object.entries(allSchemas))('lists every variable of %s', (_, schema) => {
    const listed = lines.map((line) => line.name);

    const missing = Object.keys(schema.shape).filter((name) => !listed.includes(name));

    expect(missing).toEqual([]);
  });

  it.each(Object.entries(allSchemas))('gives each variable of %s its default', (_, schema) => {
    const env = { HOME: '/home/someone' };
    const known = Object.keys(schema.shape);
    const shown = Object.fromEntries(Object.entries(assigned).filter(([k]) => known.includes(k)));

    expect(schema.parse({ ...env, ...shown })).toEqual(schema.parse(env));
  });

  it('lists nothing that neither docker-compose.yml nor a schema reads', () => {
    const compose = read('docker-compose.yml');
    const known = Object.values(allSchemas).flatMap((schema) => Object.keys(schema.shape));

    const stale = lines
      .map((line) => line.name)
      .filter((name) => !known.includes(name) && !compose.includes(`\${${name}:-`));

    expect(stale).toEqual([]);
  });
});
