// Maps every failure to SPEC.md's `{ error: { code, message, details? } }` with the right status.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, isDatabaseUnavailable, toErrorBody } from '../shared/errors.ts';

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/** A plugin's 4xx by its status (a multipart upload past its limits is 413, one that is not multipart 406). */
const statusCodes: Record<number, ErrorCode> = {
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  406: 'UNSUPPORTED_MEDIA_TYPE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** A failure as the coded error it stands for; undefined for an unknown one (a 500). */
export function toAppError(error: FastifyError): AppError | undefined {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const details = error.validation.map((issue) => ({
      field: issue.instancePath.slice(1).replaceAll('/', '.') || where,
      message: issue.message ?? 'is invalid',
    }));
    const fields = [...new Set(details.map((detail) => detail.field))].join(', ');
    return new AppError('VALIDATION_ERROR', `Invalid ${where === 'querystring' ? 'query' : where}: ${fields}`, details);
  }
  const code = error.code && fastifyCodes[error.code];
  if (code) return new AppError(code, code === 'BAD_REQUEST' ? 'The request body is not valid JSON' : error.message);
  if (isDatabaseUnavailable(error)) return new AppError('UNAVAILABLE', 'The database is unavailable; try again shortly');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError(statusCodes[error.statusCode] ?? 'BAD_REQUEST', error.message);
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toAppError(error);
    if (!known || known.status >= 500) request.log.error({ err: error, reqId: request.id }, 'request failed');
    const status = known?.status ?? 500;
    if (known?.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
    else if (status === 503) reply.header('retry-after', '5');
    return reply.status(status).send({ error: toErrorBody(known ?? error) });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${request.url.split('?')[0]}` } }),
  );
}

/** Errors the router answers before any route (an over-long path parameter, a malformed URL), in our shape. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const known =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('VALIDATION_ERROR', 'A path parameter is too long', [{ field: 'params', message: 'is too long' }])
      : new AppError('BAD_REQUEST', 'The URL is malformed');
  void reply.status(known.status).send({ error: toErrorBody(known) });
}
