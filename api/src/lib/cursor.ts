import { invalid } from './errors';

/** Keyset position after the last item of a page: opaque to clients. */
export interface CursorPosition {
  createdAt: string;
  id: string;
  votes?: number;
}

export const encodeCursor = (p: CursorPosition): string => Buffer.from(JSON.stringify([p.createdAt, p.id, p.votes ?? null])).toString('base64url');

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const votes = value[2];
      if (votes === null) return { createdAt: value[0], id: value[1] };
      if (typeof votes === 'number' && Number.isInteger(votes)) return { createdAt: value[0], id: value[1], votes };
    }
  } catch {
    // fall through: any undecodable cursor is the client's error
  }
  throw invalid('cursor', 'invalid', 'cursor is not one this API returned');
}
