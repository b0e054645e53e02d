import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode, ErrorDetail } from '../schemas';

const codeByStatus: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export const codeForStatus = (status: number): ErrorCode => codeByStatus[status] ?? (status >= 500 ? 'internal' : 'validation_failed');

/** An error the client can act on; `app.onError` turns it into the one error shape. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  /** Headers the error response carries (Retry-After). */
  headers: Record<string, string> = {};
  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(status, { message });
    this.code = code;
    this.details = details;
  }

  withHeaders(headers: Record<string, string>): this {
    this.headers = { ...this.headers, ...headers };
    return this;
  }
}

export const errorBody = (code: ErrorCode, message: string, details: ErrorDetail[] = []): ErrorBody => ({
  error: { code, message, details },
});

export const unauthorized = (message = 'sign in first', details: ErrorDetail[] = []) =>
  new ApiError(401, 'unauthorized', message, details);
export const forbidden = (message: string, details: ErrorDetail[] = []) => new ApiError(403, 'forbidden', message, details);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const invalid = (field: string, rule: string, message: string) =>
  new ApiError(400, 'validation_failed', message, [{ field, rule, message }]);
