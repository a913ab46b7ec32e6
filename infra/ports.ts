import { createServer } from 'node:net';
import { FleetError } from '../shared/errors.ts';

/** True when nothing listens on 127.0.0.1:port. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      probe.close(() => resolve(true));
    });
  });
}

/** Refuses to start a server on a port another program holds, naming the variable to move it. */
export async function requireFreePort(
  port: number,
  server: string,
  variable: string,
): Promise<void> {
  if (await isPortFree(port)) {
    return;
  }

  throw new FleetError(
    'PORT_IN_USE',
    `Cannot start ${server}: port ${port} on 127.0.0.1 is already in use by another program. Stop that program, or choose another port with ${variable}=<port> (for every npm command of this checkout).`,
  );
}
