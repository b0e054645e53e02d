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
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const name = pathOf([...path, key]);
      return { field: name, rule: 'unknown_field', message: `${name} is not allowed` };
    });
  }
  if (path.length > 0 && valueAt(input, path) === undefined) return [{ field, rule: 'required', message: `${field} is required` }];
  if (issue.code === 'invalid_union') {
    const branches = issue.errors.filter((b) => b.length > 0);
    // A union of literals (`1 | 0`) is one choice among its values.
    const literals = branches.flat();
    if (literals.length === branches.length && literals.every((i) => i.code === 'invalid_value' && i.path.length === 0)) {
      const values = literals.flatMap((i) => (i.code === 'invalid_value' ? i.values : []));
      return [{ field, rule: 'invalid_value', message: `${field} must be one of ${values.map(String).join(', ')}` }];
    }
    // Otherwise report the alternative the input came closest to, not every branch.
    if (branches.length > 0) {
      const closest = branches.reduce((a, b) => (b.length < a.length ? b : a));
      return closest.flatMap((i) => detailsOf(i, input, path));
    }
  }
  const rule =
    issue.code === 'invalid_type'
      ? 'type'
      : issue.code === 'invalid_format'
        ? issue.format === 'regex' ? 'pattern' : issue.format
        : issue.code === 'custom' && typeof issue.params?.rule === 'string'
          ? issue.params.rule // a refinement's own rule name
          : issue.code;
  return [{ field, rule, message: messageOf(field, issue) }];
}

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

/**
 * The schema's own message where it gives one (the contract's messages start
 * with the field's name); otherwise one of ours, never zod's generic wording.
 */
function messageOf(field: string, issue: Issue): string {
  // `tags.2` is named by its list's messages ("tags must be …"): the last segment that is not an index.
  const name = field.split('.').filter((segment) => !/^\d+$/.test(segment)).pop() ?? field;
  if (issue.message.startsWith(name)) return issue.message;
  const amount = (n: number | bigint, origin: string) => {
    const unit = origin === 'string' ? ' character' : origin === 'array' || origin === 'set' ? ' item' : '';
    return `${n}${unit}${unit && Number(n) !== 1 ? 's' : ''}`;
  };
  switch (issue.code) {
    case 'invalid_type':
      return `${field} must be ${article(issue.expected === 'int' ? 'integer' : issue.expected)}`;
    case 'too_small':
      return `${field} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${amount(issue.minimum, issue.origin)}`;
    case 'too_big':
      return `${field} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${amount(issue.maximum, issue.origin)}`;
    case 'invalid_value':
      return `${field} must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return `${field} is not in the expected format`;
    default:
      return `${field} is invalid`;
  }
}

export const validationError = (error: ZodError, input: unknown): ApiError => {
  // One rule per field: a tag of the wrong type or an empty one breaks the first rule only, not every later check.
  const seen = new Set<string>();
  const details = error.issues
    .flatMap((issue) => detailsOf(issue, input))
    .filter((d) => !seen.has(d.field) && !!seen.add(d.field));
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
