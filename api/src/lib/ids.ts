import { randomBytes, randomFillSync } from 'node:crypto';

const ID_BYTES = 12;
/** Random bytes for ids, filled 256 ids at a time: one call into the CSPRNG per id cost more than the rest of making one. */
const idBytes = Buffer.alloc(ID_BYTES * 256);
let idOffset = idBytes.length;

/** An opaque record id: 16 random base64url characters. */
export function newId(): string {
  if (idOffset === idBytes.length) {
    randomFillSync(idBytes);
    idOffset = 0;
  }
  return idBytes.toString('base64url', idOffset, (idOffset += ID_BYTES));
}

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
