import { DocuhookError } from './errors.ts';

/** Errors the API maps to `{"error":{"code","message"}}` with a fitting HTTP status. */
export type ApiErrorCode =
  | 'VALIDATION_ERROR'
  | 'INVALID_JSON'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FILE_TOO_LARGE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'METHOD_NOT_ALLOWED'
  | 'INTERNAL_ERROR';

const STATUS: Record<ApiErrorCode, number> = {
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  FILE_TOO_LARGE: 413,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
};

export class ApiError extends DocuhookError<ApiErrorCode> {
  readonly statusCode: number;
  constructor(code: ApiErrorCode, message: string) {
    super(code, message);
    this.name = 'ApiError';
    this.statusCode = STATUS[code];
  }
  toBody() {
    return { error: { code: this.code, message: this.message } };
  }
}

export const notFound = (what: string) => new ApiError('NOT_FOUND', `${what} was not found.`);
