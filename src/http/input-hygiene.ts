// What every request goes through before its schema: empty bodies are no body, and text no column
// can store (or nesting deeper than any of our bodies has) is a VALIDATION_ERROR naming its field.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { inputProblem } from '../shared/schemas.ts';

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
    for (const [part, root] of [
      [request.params, 'params'],
      [request.query, 'query'],
      [request.body, 'body'],
    ] as const) {
      const problem = inputProblem(part, root);
      if (problem) throw new AppError('VALIDATION_ERROR', `Invalid input: ${problem.field}`, [problem]);
    }
  });
}
