// What every request goes through before its schema: empty bodies are no body, and text no column
// can store is a VALIDATION_ERROR naming its field.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { unstorableTextField, unstorableTextMessage } from '../shared/schemas.ts';

export function registerInputHygiene(app: FastifyInstance): void {
  // An empty body is no body, whatever Content-Type came with it (clients send one by habit).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).length === 0) return done(null, undefined);
    done(new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Type: ${request.headers['content-type'] ?? 'none'}; send application/json`), undefined);
  });

  app.addHook('preValidation', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      const field = unstorableTextField(part);
      if (field !== undefined)
        throw new AppError('VALIDATION_ERROR', `Invalid input: ${field || 'body'}`, [{ field: field || 'body', message: unstorableTextMessage }]);
    }
  });
}
