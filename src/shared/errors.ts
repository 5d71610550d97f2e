// One coded error type for the whole server: REST maps it to a status, sockets to an ack.
import { channel } from 'node:diagnostics_channel';

export const errorStatus = {
  VALIDATION_ERROR: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  CONFLICT: 409,
  QUOTA_EXCEEDED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  PROVIDER_ERROR: 502,
  UNAVAILABLE: 503,
  PROVIDER_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorDetail {
  field: string;
  message: string;
}

/** Every RATE_LIMITED refusal, with the budget it spent: what /metrics counts. */
export const rateLimitedChannel = channel('taskstream:rate-limited');

export interface AppErrorOptions {
  /** For RATE_LIMITED: which budget refused (messages, joins, rest…). */
  budget?: string;
  /** What went wrong underneath: logged, never shown. */
  cause?: unknown;
  /** For RATE_LIMITED and UNAVAILABLE: when to try again (the Retry-After header). */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[], options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    if (code === 'RATE_LIMITED' && rateLimitedChannel.hasSubscribers) rateLimitedChannel.publish({ budget: options.budget ?? 'other' });
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  /** 5xx messages are for the log only; the client gets a generic sentence. */
  get exposed(): boolean {
    return this.status < 500 || this.code === 'UNAVAILABLE' || this.code.startsWith('PROVIDER_');
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

export const rateLimited = (retryAfterMs: number, budget: string) => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('RATE_LIMITED', `Too many requests; retry in ${seconds} s`, undefined, { retryAfterSeconds: seconds, budget });
};

/** The envelope sent to a client for any error: never an unknown error's own message. */
export function toErrorBody(error: unknown): { code: ErrorCode; message: string; details?: ErrorDetail[] } {
  if (error instanceof AppError && error.exposed) {
    return error.details ? { code: error.code, message: error.message, details: error.details } : { code: error.code, message: error.message };
  }
  if (isDatabaseUnavailable(error)) return { code: 'UNAVAILABLE', message: 'The database is unavailable; try again shortly.' };
  return { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' };
}

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True for the errors a PostgreSQL client raises when the server is down or unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && unavailableCodes.has(candidate.code)) return true;
    if (
      typeof candidate.message === 'string' &&
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(candidate.message)
    )
      return true;
    current = candidate.cause;
  }
  return false;
}
