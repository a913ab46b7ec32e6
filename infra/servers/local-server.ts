import type { ServerProcess } from '../processes.ts';

export type ServerName = 'kafka' | 's3' | 'prometheus';

export const SERVER_NAMES: readonly ServerName[] = ['kafka', 's3', 'prometheus'];

/** What `infra:up`, `infra:down` and `infra:status` need to know about one local server. */
export interface LocalServer {
  name: ServerName;
  /** Human name with version, e.g. "Kafka 4.1.2". */
  label: string;
  /** Where clients reach it. */
  address: string;
  /** Every port it binds, with the variable that moves it. */
  ports: { port: number; variable: string }[];
  process: ServerProcess;
  /** Seconds to wait for `ready` after start; Kafka's quorum is slow on two cores. */
  startTimeoutMs: number;
  /** Downloads what is missing into the version-keyed cache; does nothing when cached. */
  install(): Promise<void>;
  /** Checks its tools, writes its config and starts it in the background. */
  start(): Promise<void>;
  /** One real request that only a usable server answers; throws otherwise. */
  ready(): Promise<void>;
}
