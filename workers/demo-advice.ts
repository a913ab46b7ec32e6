import type { ReconcileReport } from './reconcile.ts';

/** Where the demo ran, to name in its advice. */
export interface DemoLake {
  topic: string;
  bucket: string;
  /** Whether Kafka and the S3 server are this checkout's (`npm run infra:up`), which reset can empty. */
  ownServers: boolean;
}

/** Names that no default of the project uses, so the demo's own lake meets nothing else. */
const OWN_LAKE = 'KAFKA_TOPIC=strava-demo S3_BUCKET=strava-demo WORKER_GROUP_PREFIX=demo-';

/**
 * What to tell the user when the lake holds objects the sample does not explain. The
 * servers keep their data between runs and the workers read the topic from its start, so
 * one earlier publish of another export makes every later demo unbalanced until the lake
 * is emptied: say that, and exactly how. Undefined when nothing is unexpected (missing
 * objects are a different story, which the reconcile report's own hint tells).
 */
export function cleanStartAdvice(report: ReconcileReport, lake: DemoLake): string | undefined {
  const extra = report.sports.filter((sport) => sport.unexpected.length > 0);
  if (extra.length === 0) {
    return undefined;
  }

  const total = extra.reduce((sum, sport) => sum + sport.unexpected.length, 0);
  const perSport = extra.map((sport) => `${sport.sport} ${sport.unexpected.length}`).join(', ');
  return [
    `The lake holds ${total} objects the sample does not account for (${perSport}).`,
    `They come from another export published to topic ${lake.topic}, or were put into`,
    `s3://${lake.bucket} by hand; the demo balances only in a lake that holds the sample alone.`,
    ...(lake.ownServers ? resetSteps() : foreignServerSteps(lake)),
    'Or keep that data and give the demo a topic, bucket and groups of its own:',
    `  ${OWN_LAKE} npm run demo`,
  ].join('\n');
}

function resetSteps(): string[] {
  return [
    'To start clean (this deletes every topic, bucket and object of the local servers; the',
    'installed servers stay):',
    '  npm run infra:reset && npm run demo',
  ];
}

/** `infra:reset` empties only this checkout's servers: with others it would do nothing. */
function foreignServerSteps(lake: DemoLake): string[] {
  return [
    'These servers are not the ones this checkout runs (npm run infra:up), so npm run',
    `infra:reset cannot empty them: delete topic ${lake.topic} and the objects of`,
    `s3://${lake.bucket} where they run (docker compose down -v empties the compose stack),`,
    'then run npm run demo again.',
  ];
}
