import { fileURLToPath } from 'node:url';
import { ensureUp, localServers } from '../infra/control.ts';
import { loadInfraSettings } from '../infra/endpoints.ts';
import { infraPaths } from '../infra/paths.ts';
import { runningPid } from '../infra/processes.ts';
import { runProducer } from '../producer/run-producer.ts';
import { loadConfig } from '../shared/config/load-config.ts';
import { type WorkerSettings, workerSchema } from '../shared/config/settings.ts';
import { describeError } from '../shared/errors.ts';
import { createKafka } from '../shared/kafka/client.ts';
import { lagSum } from '../shared/lag/compute-lag.ts';
import { readGroupLag } from '../shared/lag/read-lag.ts';
import { createLogger, type Logger } from '../shared/logging/logger.ts';
import { createS3Client } from '../shared/s3/client.ts';
import { groupIdOf, SPORTS } from '../shared/sports/registry.ts';
import { cleanStartAdvice } from './demo-advice.ts';
import { startFleet } from './fleet.ts';
import { formatReport, type ReconcileReport, reconcile } from './reconcile.ts';

const SAMPLE = fileURLToPath(new URL('./sample/activities-es.csv', import.meta.url));

/**
 * `npm run demo`: the whole job on a fresh machine. Servers up, the fleet started, the
 * bundled Spanish sample published, every group drained, the lake printed per sport and
 * reconciled, the fleet stopped. Exit 0 only when the lake balances; when it holds objects
 * of another export, the last lines say how to start clean.
 */
async function main(): Promise<void> {
  const settings = loadConfig(workerSchema);
  const logger = createLogger('demo', 'warn');

  say('starting the servers (Kafka, S3, Prometheus) if they are not running…');
  await ensureUp(undefined, (line) => say(`  ${line}`));

  say(`starting the fleet: ${SPORTS.map((sport) => sport.id).join(', ')}`);
  const fleet = await startFleet({
    registry: SPORTS,
    env: { LOG_LEVEL: 'warn' },
    groupPrefix: settings.WORKER_GROUP_PREFIX,
    // The local Prometheus scrapes the fleet while the demo runs.
    prometheusTargetsDir: infraPaths(loadInfraSettings()).prometheusTargetsDir,
  });

  // A worker that dies would leave the wait below hanging: its exit ends the demo instead.
  const fleetEnded = fleet.done.then((codes) => {
    throw new Error(`the fleet stopped before the lake was complete: ${describeCodes(codes)}`);
  });

  let result: ReconcileReport | undefined;
  try {
    await Promise.race([publishAndDrain(settings, logger), fleetEnded]);
    result = await report(settings);
  } finally {
    say('stopping the fleet…');
    const codes = await fleet.stop();
    say(`fleet stopped: ${describeCodes(codes)}`);
    say(
      'the servers stay up for a look (Prometheus: npm run infra:status); npm run infra:down stops them',
    );
  }

  // Last, once the fleet has stopped: the way out is what the user reads and runs next.
  const advice = result && cleanStartAdvice(result, lakeOf(settings));
  if (advice !== undefined) {
    say(`\n${advice}`);
  }
}

function lakeOf(settings: WorkerSettings) {
  // Whether Kafka and the S3 server are this checkout's: only those can infra:reset empty.
  const own = localServers(['kafka', 's3']).every((s) => runningPid(s.process) !== undefined);
  return { topic: settings.KAFKA_TOPIC, bucket: settings.S3_BUCKET, ownServers: own };
}

async function publishAndDrain(settings: WorkerSettings, logger: Logger): Promise<void> {
  say(`publishing ${SAMPLE} to topic ${settings.KAFKA_TOPIC}…`);
  const summary = await runProducer({
    file: SAMPLE,
    topic: settings.KAFKA_TOPIC,
    brokers: settings.KAFKA_BROKERS,
    partitions: settings.TOPIC_PARTITIONS,
    encoding: 'auto',
    delimiter: 'auto',
    dryRun: false,
    logger,
  });
  say(
    `published ${summary.published} of ${summary.rowsRead} rows (${summary.unparseable} unparseable)`,
  );

  say('waiting until every group has consumed everything…');
  await waitForGroups(settings, logger);
}

/** Polls committed offsets against the topic's end until every sport's lag is 0. */
async function waitForGroups(settings: WorkerSettings, logger: Logger): Promise<void> {
  const kafka = createKafka({ clientId: 'demo', brokers: settings.KAFKA_BROKERS, logger });
  const admin = kafka.admin();
  await admin.connect();

  try {
    for (const sport of SPORTS) {
      const groupId = groupIdOf(sport, settings.WORKER_GROUP_PREFIX);
      while (lagSum(await readGroupLag(admin, groupId, settings.KAFKA_TOPIC)) > 0) {
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      say(`  ${groupId}: lag 0`);
    }
  } finally {
    await admin.disconnect();
  }
}

async function report(settings: WorkerSettings): Promise<ReconcileReport> {
  const result = await reconcile({
    file: SAMPLE,
    bucket: settings.S3_BUCKET,
    s3: createS3Client(settings),
    registry: SPORTS,
  });

  say(`\nlake s3://${settings.S3_BUCKET}/`);
  for (const sport of result.sports) {
    const prefix = SPORTS.find((entry) => entry.id === sport.sport)?.prefix;
    say(`  ${prefix?.padEnd(12)} ${sport.objectsPresent} objects`);
  }
  say(`  _rejected/   ${result.rejectedObjects} objects\n`);
  say(formatReport(result));
  process.exitCode = result.balanced ? 0 : 1;
  return result;
}

function describeCodes(codes: Map<string, number | null>): string {
  return [...codes].map(([id, code]) => `${id} exit ${code}`).join(', ');
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  console.error(`demo: ${describeError(error)}`);
  process.exitCode = 1;
});
