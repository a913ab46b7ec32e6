import { Command, InvalidArgumentError } from 'commander';
import { describeError } from '../shared/errors.ts';
import { down, reset, SERVER_NAMES, type ServerName, status, up } from './control.ts';
import { statusLine } from './status-line.ts';

/**
 * `npm run infra:up | infra:down | infra:status | infra:reset [-- kafka s3 prometheus]`: the
 * real servers the project is tested against, as background processes on 127.0.0.1.
 */
const program = new Command('infra')
  .description('Install, start, stop and check the local Kafka, S3 server and Prometheus.')
  .showHelpAfterError();

program
  .command('up')
  .description(
    'install what is missing (cached under $HOME) and start the servers; waits until usable',
  )
  .argument('[servers...]', `any of ${SERVER_NAMES.join(', ')} (default: all)`, parseNames)
  .action(async (names: ServerName[]) => {
    await up(orAll(names), print);
  });

program
  .command('down')
  .description('stop the servers this checkout started')
  .argument('[servers...]', `any of ${SERVER_NAMES.join(', ')} (default: all)`, parseNames)
  .action(async (names: ServerName[]) => {
    await down(orAll(names), print);
  });

program
  .command('reset')
  .description(
    'stop the servers and delete their data (topics, offsets, buckets, samples) for a clean start; logs and the install cache stay',
  )
  .argument('[servers...]', `any of ${SERVER_NAMES.join(', ')} (default: all)`, parseNames)
  .action(async (names: ServerName[]) => {
    await reset(orAll(names), print);
    print('npm run infra:up (or npm run demo) starts them again, empty');
  });

program
  .command('status')
  .description('show whether each server runs and answers; exit 1 if one does not')
  .argument('[servers...]', `any of ${SERVER_NAMES.join(', ')} (default: all)`, parseNames)
  .action(async (names: ServerName[]) => {
    const servers = await status(orAll(names));
    for (const server of servers) {
      print(statusLine(server));
    }
    process.exitCode = servers.every((server) => server.healthy) ? 0 : 1;
  });

function parseNames(value: string, previous: ServerName[] = []): ServerName[] {
  if (!SERVER_NAMES.includes(value as ServerName)) {
    throw new InvalidArgumentError(`expected one of ${SERVER_NAMES.join(', ')}`);
  }
  return [...previous, value as ServerName];
}

function orAll(names: ServerName[] | undefined): ServerName[] {
  return names === undefined || names.length === 0 ? [...SERVER_NAMES] : names;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`infra: ${describeError(error)}\n`);
  process.exitCode = 1;
}
