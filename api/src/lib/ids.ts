import { randomBytes } from 'node:crypto';

/** An opaque record id: 16 random base64url characters. */
export const newId = (): string => randomBytes(12).toString('base64url');

/** A signing secret: 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

let lastMillis = 0;

/**
 * Now as an ISO string, strictly increasing within this process, so that
 * records created one after another sort in that order even within one millisecond.
 */
export function nowIso(): string {
  lastMillis = Math.max(Date.now(), lastMillis + 1);
  return new Date(lastMillis).toISOString();
}
