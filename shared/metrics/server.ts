import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { describeError } from '../errors.ts';

/**
 * `starting`: not connected or not assigned yet (503). `ready`: doing its job (200).
 * `degraded`: alive and keeping its place, but a dependency fails, e.g. S3 writes being
 * retried (200, so an orchestrator does not restart a process a restart cannot help;
 * the body and the metrics say what is wrong).
 */
export type HealthStatus = 'starting' | 'ready' | 'degraded';

export interface Health {
  status: HealthStatus;
  /** One line for a person: what it waits for, or what fails. */
  detail?: string;
}

export interface MetricsServerOptions {
  /** 0 picks a free port; the bound one is returned. */
  port: number;
  /** Default `0.0.0.0`: Prometheus scrapes from another container or host. */
  host?: string;
  registry: Registry;
  health: () => Health;
  /** Runs before each `/metrics` answer, for metrics computed on scrape (the lag exporter). */
  beforeScrape?: () => Promise<void>;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves `GET /metrics` (Prometheus text format) and `GET /healthz` (JSON). */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    void answer(options, request, response);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  }).catch((error: unknown) => {
    throw new Error(
      `metrics server could not listen on port ${options.port} (${describeError(error)}): set METRICS_PORT to a free port, or 0 to pick one`,
      { cause: error },
    );
  });

  const { port } = server.address() as AddressInfo;
  return { port, close: () => closeServer(server) };
}

async function answer(
  options: MetricsServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return send(response, 405, 'text/plain', 'only GET\n');
  }

  if (path === '/metrics') {
    return sendMetrics(options, response);
  }

  if (path === '/healthz') {
    const health = options.health();
    const code = health.status === 'starting' ? 503 : 200;
    return send(response, code, 'application/json', `${JSON.stringify(health)}\n`);
  }

  send(response, 404, 'text/plain', 'not found: try /metrics or /healthz\n');
}

async function sendMetrics(options: MetricsServerOptions, response: ServerResponse) {
  try {
    await options.beforeScrape?.();
    const text = await options.registry.metrics();
    send(response, 200, options.registry.contentType, text);
  } catch (error) {
    send(response, 500, 'text/plain', `collecting metrics failed: ${describeError(error)}\n`);
  }
}

function send(response: ServerResponse, code: number, type: string, body: string): void {
  response.writeHead(code, { 'content-type': type });
  response.end(body);
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });

  // Prometheus keeps connections alive; without this, close() waits for them to time out.
  server.closeAllConnections();
  return closed;
}
