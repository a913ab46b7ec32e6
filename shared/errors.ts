/**
 * The base of every error this project throws on purpose. `code` is stable so callers and
 * tests can branch on it; `retryable` says whether trying again later may succeed;
 * the message says what was attempted, what went wrong and what to do.
 */
export class FleetError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FleetError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** The text of any thrown value, for messages that wrap it. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
