import { z } from '@hono/zod-openapi';
import { ErrorBody } from '../schemas';

const errorDescriptions = {
  400: 'The request is invalid: `details` names each field and rule',
  401: 'No valid session (or identity token)',
  403: 'Not allowed for this user or site',
  404: 'No such record',
  409: 'Conflicts with an earlier request',
  413: 'The body is larger than 64 KB',
  415: 'The body is not JSON',
  429: 'Too many writes; retry after `Retry-After` seconds',
} as const;

type ErrorStatus = keyof typeof errorDescriptions;

/** OpenAPI descriptions of the error responses a route can give, all in the one error shape. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: errorDescriptions[s], content: { 'application/json': { schema: ErrorBody } } }]),
  ) as unknown as Record<S, { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }>;
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const IdParam = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'q3Jx9Lk2mPq7Zr1A' }),
});

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, description: 'A retry with the same key returns the first response and creates nothing' }),
});

export const bearerAuth = [{ bearerAuth: [] }];
