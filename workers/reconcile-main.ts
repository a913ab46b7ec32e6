import { Command } from 'commander';
import { loadConfig } from '../shared/config/load-config.ts';
import { pipelineSchema } from '../shared/config/settings.ts';
import { describeError } from '../shared/errors.ts';
import { createS3Client } from '../shared/s3/client.ts';
import { SPORTS } from '../shared/sports/registry.ts';
import { formatReport, reconcile } from './reconcile.ts';

/**
 * `npm run reconcile -- FILE`: the export against the lake. Exit 0 balanced, 1 on any
 * difference, 2 when it could not compare (bad arguments, unreadable file, S3 refusing).
 */
async function main(): Promise<void> {
  const program = new Command('reconcile')
    .description('Compare a Strava export with the lake, per sport')
    .argument('<file>', 'the activities.csv that was published')
    .exitOverride((error) => {
      // commander exits 1 on a usage error, which here means "the lake differs".
      process.exit(error.exitCode === 0 ? 0 : 2);
    })
    .parse(process.argv);
  const [file] = program.args as [string];
  const settings = loadConfig(pipelineSchema);

  const report = await reconcile({
    file,
    bucket: settings.S3_BUCKET,
    s3: createS3Client(settings),
    registry: SPORTS,
  });

  console.log(formatReport(report));
  process.exitCode = report.balanced ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(`reconcile: ${describeError(error)}`);
  process.exitCode = 2;
});
