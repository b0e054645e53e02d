import { randomBytes } from 'node:crypto';

/** An opaque record id: 16 random base64url characters. */
export const newId = (): string => randomBytes(12).toString('base64url');

/** A signing secret: 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const nowIso = (): string => new Date().toISOString();
