import { setTimeout as sleep } from 'node:timers/promises';
import { localEndpoints } from '../../../infra/endpoints.ts';
import { type EntryProcess, spawnEntry } from '../../helpers/entry-process.ts';

const prometheusUrl = localEndpoints().prometheusUrl;

/** One series of an instant query's answer. */
export interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

export interface QueryAnswer {
  status: string;
  error?: string;
  result: Series[];
}

/** An instant query through Prometheus's HTTP API. */
export async function query(promql: string): Promise<QueryAnswer> {
  const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`;
  const body = (await (await fetch(url)).json()) as {
    status: string;
    error?: string;
    data?: { result: Series[] };
  };

  return {
    status: body.status,
    ...(body.error ? { error: body.error } : {}),
    result: body.data?.result ?? [],
  };
}

/**
 * Polls a query until `check` holds on its answer and returns that answer. The deadline
 * only turns a hang into a failure that shows the last answer.
 */
export async function pollQuery(
  promql: string,
  check: (answer: QueryAnswer) => boolean,
  deadlineMs = 60_000,
): Promise<QueryAnswer> {
  const until = Date.now() + deadlineMs;

  for (;;) {
    const answer = await query(promql);
    if (check(answer)) {
      return answer;
    }
    if (Date.now() > until) {
      throw new Error(`gave up waiting on ${promql}: last answer ${JSON.stringify(answer)}`);
    }
    await sleep(500);
  }
}

export type ProducerProcess = EntryProcess;

/** `npm run produce` as a process of its own, with the given flags. */
export function spawnProducer(args: string[], env: Record<string, string>): ProducerProcess {
  return spawnEntry('producer/main.ts', args, env);
}
