import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import type { ErrorDetail } from '../schemas';
import { ApiError } from './errors';

type ZodError = z.ZodError;
type Issue = ZodError['issues'][number];

const pathOf = (path: ReadonlyArray<PropertyKey>): string => path.map(String).join('.');

/** The value at `path` in the input, to tell a missing field from a wrong one (zod 4 issues omit the input). */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function detailsOf(issue: Issue, input: unknown, prefix: ReadonlyArray<PropertyKey> = []): ErrorDetail[] {
  const path = [...prefix, ...issue.path];
  const field = pathOf(path) || 'body';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const name = pathOf([...path, key]);
        return { field: name, rule: 'unknown_field', message: `${name} is not allowed` };
      });
    case 'invalid_union': {
      // Report the alternative the input came closest to, not every branch.
      const branches = issue.errors.filter((b) => b.length > 0);
      if (branches.length === 0) break;
      const closest = branches.reduce((a, b) => (b.length < a.length ? b : a));
      return closest.flatMap((i) => detailsOf(i, input, path));
    }
    case 'invalid_type':
      if (valueAt(input, path) === undefined) return [{ field, rule: 'required', message: `${field} is required` }];
      return [{ field, rule: 'type', message: `${field} must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}` }];
    case 'invalid_format':
      return [{ field, rule: issue.format === 'regex' ? 'pattern' : issue.format, message: messageOf(field, issue.message) }];
    default:
      break;
  }
  return [{ field, rule: issue.code, message: messageOf(field, issue.message) }];
}

// The contract's own messages start with the field's name; zod's generic ones get it prefixed.
const messageOf = (field: string, message: string): string =>
  message.startsWith(field.split('.').pop()!) ? message : `${field}: ${message}`;

export const validationError = (error: ZodError, input: unknown): ApiError => {
  const details = error.issues.flatMap((issue) => detailsOf(issue, input));
  return new ApiError(400, 'validation_failed', details[0]?.message ?? 'invalid request', details);
};

/**
 * The `defaultHook` of every OpenAPIHono: a failed request validation becomes
 * the one error shape, naming each field and rule (never raw zod output).
 */
export const validationHook = (
  result: ({ success: true } | { success: false; error: ZodError }) & { data?: unknown },
  _c: Context,
): void => {
  if (!result.success) throw validationError(result.error, result.data);
};
