// /api/tasks/:ref/attachments and /api/attachments/:id: a task's files, up (multipart, one file
// field `file`) and down (as an attachment; inline only for images a browser shows safely).
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { downloadResponse } from '../http/downloads.ts';
import { AppError } from '../shared/errors.ts';
import { errorResponse } from '../shared/schemas.ts';
import { taskRefParams, taskRefQuery } from '../tasks/tasks.schemas.ts';
import { attachmentDto, attachmentIdParams } from './attachments.schemas.ts';
import type { AttachmentsService } from './attachments.service.ts';
import { inlineTypes } from './uploads.ts';

export interface AttachmentsRoutesOptions {
  attachments: AttachmentsService;
  /** The largest file one upload may carry (LIMIT_UPLOAD). */
  uploadBytes: number;
}

/** What a multipart body adds around its file: the boundaries and the part's headers (a generous bound). */
const multipartOverhead = 16 * 1024;

/**
 * The upload body as the OpenAPI document shows it. The route reads the file as a stream
 * (request.file()), so no body exists when the schema is checked (null): it checks nothing.
 */
const uploadBody = z.object({ file: z.string().meta({ format: 'binary', description: 'The file (one); its type is read from its bytes' }) }).nullish();

/** A file part's bytes; its end at the size limit is a refusal (busboy ends a file there, marked truncated, and drops the rest). */
async function* withinLimit(file: AsyncIterable<Buffer> & { truncated: boolean }, uploadBytes: number): AsyncIterable<Buffer> {
  yield* file;
  if (file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `A file may have at most ${uploadBytes} bytes`);
}

export const attachmentsRoutes: FastifyPluginAsyncZod<AttachmentsRoutesOptions> = async (app, { attachments, uploadBytes }) => {
  const common = { tags: ['attachments'], security: [{ bearer: [] }] };
  const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 429: errorResponse };
  await app.register(multipart, { limits: { fileSize: uploadBytes, files: 1, fields: 0, parts: 1, headerPairs: 20 }, throwFileSizeLimit: true });

  app.get(
    '/tasks/:ref/attachments',
    {
      schema: {
        ...common,
        summary: "A task's files, oldest first",
        params: taskRefParams,
        querystring: taskRefQuery,
        response: { 200: z.object({ attachments: z.array(attachmentDto) }), ...errors },
      },
    },
    async (request) => ({ attachments: await attachments.list(request.userId, { ref: request.params.ref, listId: request.query.list_id }) }),
  );

  app.post(
    '/tasks/:ref/attachments',
    {
      schema: {
        ...common,
        summary: `Attach a file to a task (editors and the owner): multipart/form-data with one file field \`file\`, at most ${uploadBytes} bytes`,
        description:
          'The file streams to storage as it arrives. Refused: a larger one (413, before it is read when Content-Length says so), an empty one (400), ' +
          'one that would take your files past your storage quota (409 QUOTA_EXCEEDED). Its type is read from its bytes; its name is cleaned.',
        consumes: ['multipart/form-data'],
        params: taskRefParams,
        querystring: taskRefQuery,
        body: uploadBody,
        response: { 201: z.object({ attachment: attachmentDto }), ...errors, 409: errorResponse, 413: errorResponse, 415: errorResponse },
      },
      // A refused upload's body is not read: the connection closes rather than take the rest of it.
      onSend: async (_request, reply) => {
        if (reply.statusCode >= 400) reply.header('connection', 'close');
      },
    },
    async (request, reply) => {
      const declared = Number(request.headers['content-length']);
      if (declared > uploadBytes + multipartOverhead) throw new AppError('PAYLOAD_TOO_LARGE', `A file may have at most ${uploadBytes} bytes`);
      const actor = { userId: request.userId, channel: 'rest' as const };
      const task = await attachments.uploadTarget(request.userId, { ref: request.params.ref, listId: request.query.list_id });
      const file = await request.file();
      if (file?.fieldname !== 'file') {
        throw new AppError('VALIDATION_ERROR', 'Send one file in the field "file"', [{ field: 'file', message: 'is required' }]);
      }
      const attachment = await attachments.upload(actor, task, file.filename, withinLimit(file.file, uploadBytes));
      return reply.status(201).send({ attachment });
    },
  );

  app.get(
    '/attachments/:id',
    {
      schema: {
        ...common,
        summary: 'Download a file: as an attachment, inline only for PNG, JPEG, GIF and WebP images (nosniff, sandboxed)',
        params: attachmentIdParams,
        // Any type (the file's own, sniffed when it was stored); errors are JSON.
        produces: ['*/*'],
        response: { 200: downloadResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { attachment, bytes } = await attachments.download(request.userId, request.params.id);
      const inline = inlineTypes.has(attachment.content_type);
      return reply
        .type(attachment.content_type === 'text/plain' ? 'text/plain; charset=utf-8' : attachment.content_type)
        .header('content-length', String(attachment.size))
        .header('content-disposition', contentDisposition(attachment.filename, { type: inline ? 'inline' : 'attachment' }))
        .header('content-security-policy', 'sandbox')
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-cache')
        .send(Readable.from(bytes, { objectMode: false }));
    },
  );

  app.delete(
    '/attachments/:id',
    {
      schema: {
        ...common,
        summary: 'Remove a file (its uploader, or the list’s owner); an undo brings it back while it is kept',
        params: attachmentIdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await attachments.remove({ userId: request.userId, channel: 'rest' }, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
