import { randomBytes } from 'node:crypto';

/** A name no other test or run uses: topics, groups and key prefixes are per test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
