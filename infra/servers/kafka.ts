import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { InfraSettings } from '../../shared/config/settings.ts';
import { runInstallStep } from '../install-step.ts';
import { type InfraPaths, PROJECT_ROOT, serverDataDir } from '../paths.ts';
import { serverProcess, startDetached } from '../processes.ts';
import { requireJava17, requireMaven } from '../tool-check.ts';
import { VERSIONS } from '../versions.ts';
import type { LocalServer } from './local-server.ts';

/** Any 16 bytes in base64url; fixed so that the data folder survives restarts. */
const CLUSTER_ID = 'c3RyYXZhLWZsZWV0LWxvYw';
const READY_TOPIC = '_infra_ready';
const KAFKA_DIR = join(PROJECT_ROOT, 'infra', 'kafka');
const LOG4J_CONFIG = join(KAFKA_DIR, 'log4j2.properties');

/** Apache Kafka in KRaft mode, run from its Maven Central jars. */
export function kafkaServer(settings: InfraSettings, paths: InfraPaths): LocalServer {
  const process = serverProcess('kafka', paths.pidsDir, paths.logsDir);
  const configFile = join(paths.runDir, 'kafka', 'server.properties');
  const brokers = [`127.0.0.1:${settings.KAFKA_PORT}`];

  return {
    name: 'kafka',
    label: `Kafka ${VERSIONS.kafka} (KRaft)`,
    address: brokers[0] ?? '',
    ports: [
      { port: settings.KAFKA_PORT, variable: 'KAFKA_PORT' },
      { port: settings.KAFKA_CONTROLLER_PORT, variable: 'KAFKA_CONTROLLER_PORT' },
    ],
    process,
    startTimeoutMs: 90_000,

    async install() {
      installKafkaJars(paths);
    },

    async start() {
      requireJava17();
      writeServerProperties(settings, paths, configFile);
      formatStorage(paths, configFile, process.logFile);
      startDetached(process, {
        command: 'java',
        args: [...jvmOptions(), '-cp', join(paths.kafkaLib, '*'), 'kafka.Kafka', configFile],
      });
    },

    async ready() {
      await checkKafkaUsable(brokers);
    },
  };
}

/** `mvn dependency:copy-dependencies` into a temporary folder, renamed when complete. */
function installKafkaJars(paths: InfraPaths): void {
  if (existsSync(join(paths.kafkaLib, '.complete'))) {
    return;
  }

  requireMaven();
  const partial = `${paths.kafkaLib}.partial`;
  rmSync(partial, { recursive: true, force: true });
  runInstallStep({
    what: `Kafka ${VERSIONS.kafka} jars from Maven Central`,
    command: 'mvn',
    args: [
      '-B',
      '-q',
      '-f',
      join(KAFKA_DIR, 'pom.xml'),
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${partial}`,
    ],
    logFile: join(paths.logsDir, 'install-kafka.log'),
    hint: 'Check that Maven Central can be reached (or your Maven mirror in ~/.m2/settings.xml) and run the command again.',
  });

  writeFileSync(join(partial, '.complete'), `${VERSIONS.kafka}\n`);
  rmSync(paths.kafkaLib, { recursive: true, force: true });
  mkdirSync(join(paths.kafkaLib, '..'), { recursive: true });
  renameSync(partial, paths.kafkaLib);
}

function writeServerProperties(settings: InfraSettings, paths: InfraPaths, target: string): void {
  const template = readFileSync(join(KAFKA_DIR, 'server.properties'), 'utf8');
  const filled = template
    .replaceAll('@KAFKA_PORT@', String(settings.KAFKA_PORT))
    .replaceAll('@KAFKA_CONTROLLER_PORT@', String(settings.KAFKA_CONTROLLER_PORT))
    .replaceAll('@KAFKA_DATA_DIR@', serverDataDir(paths, 'kafka'));

  mkdirSync(join(target, '..'), { recursive: true });
  writeFileSync(target, filled);
}

/** KRaft needs its storage formatted once; `--ignore-formatted` makes it a no-op after. */
function formatStorage(paths: InfraPaths, configFile: string, logFile: string): void {
  runInstallStep({
    what: 'the Kafka storage folder',
    command: 'java',
    args: [
      `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
      '-cp',
      join(paths.kafkaLib, '*'),
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      CLUSTER_ID,
      '--config',
      configFile,
      '--ignore-formatted',
    ],
    logFile,
    hint: `The data folder ${serverDataDir(paths, 'kafka')} may belong to another Kafka cluster: stop the servers (npm run infra:down), remove that folder and run again.`,
  });
}

/** Upstream's JVM settings, with a 1 GiB heap: without -Xmx the JVM takes a quarter of RAM. */
function jvmOptions(): string[] {
  return [
    '-Xms256m',
    '-Xmx1g',
    '-server',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
  ];
}

/**
 * Usable means more than listening: a topic can be created with a leader, an idempotent
 * producer gets its id from the transaction coordinator, and the group coordinator
 * answers. The coordinators are the last parts of a fresh broker to come up.
 */
async function checkKafkaUsable(brokers: string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'infra-ready',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: 1 },
    createPartitioner: Partitioners.DefaultPartitioner,
  });

  try {
    await admin.connect();
    const topics = await admin.listTopics();
    if (!topics.includes(READY_TOPIC)) {
      await admin.createTopics({
        topics: [{ topic: READY_TOPIC, numPartitions: 1 }],
        waitForLeaders: true,
      });
    }
    await producer.connect();
    await producer.send({ topic: READY_TOPIC, acks: -1, messages: [{ value: 'ready' }] });
    await admin.fetchOffsets({ groupId: READY_TOPIC, topics: [READY_TOPIC] });
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}
