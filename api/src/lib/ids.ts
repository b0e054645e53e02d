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

/** base64url's 64 characters in ASCII order, so that encoded times sort as the times do. */
const SORTED = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
let prefixMillis = -1;
let prefix = '';

/**
 * The id of a question, answer, tip or kudos: 16 base64url characters, as newId's, of which the
 * first 7 are the millisecond since 1970 (in SORTED's order; past the year 2109 they wrap) and
 * the other 9 random (54 bits). Ids made later sort after, so a write adds to the end of each
 * index on an id (the primary key, the event log's item and question) instead of to a random
 * page of it, which a commit then writes out whole. `npm run bench`'s asks at 1M questions:
 * 1,402/s and 712 µs of event loop each with random ids, 2,030/s and 487 µs with these (the
 * same as at 1k). It tells when the record was made, which its `createdAt` tells anyway;
 * sessions, people, reports and secrets keep wholly random ids.
 */
export function newContentId(): string {
  const now = Date.now();
  if (now !== prefixMillis) {
    prefixMillis = now;
    prefix = '';
    for (let i = 0, t = now; i < 7; i++, t = Math.floor(t / 64)) prefix = SORTED[t % 64]! + prefix;
  }
  return prefix + newId().slice(7);
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
