// /api/tasks/:ref/comments and /api/comments/:id: a task's thread.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../shared/schemas.ts';
import { taskRefParams, taskRefQuery } from '../tasks/tasks.schemas.ts';
import { commentBody, commentDto, commentIdParams } from './comments.schemas.ts';
import type { CommentsService } from './comments.service.ts';

export const commentsRoutes: FastifyPluginAsyncZod<{ comments: CommentsService }> = async (app, { comments }) => {
  const common = { tags: ['comments'], security: [{ bearer: [] }] };
  const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 429: errorResponse };
  const rest = (userId: string) => ({ userId, channel: 'rest' as const });

  app.get(
    '/tasks/:ref/comments',
    {
      schema: {
        ...common,
        summary: "A task's comments, oldest first",
        params: taskRefParams,
        querystring: taskRefQuery,
        response: { 200: z.object({ comments: z.array(commentDto) }), ...errors },
      },
    },
    async (request) => ({ comments: await comments.list(request.userId, { ref: request.params.ref, listId: request.query.list_id }) }),
  );

  app.post(
    '/tasks/:ref/comments',
    {
      schema: {
        ...common,
        summary: 'Comment on a task (editors and the owner of its list)',
        params: taskRefParams,
        querystring: taskRefQuery,
        body: commentBody,
        response: { 201: z.object({ comment: commentDto }), ...errors, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const ref = { ref: request.params.ref, listId: request.query.list_id };
      return reply.status(201).send({ comment: await comments.create(rest(request.userId), ref, request.body.body) });
    },
  );

  app.patch(
    '/comments/:id',
    {
      schema: {
        ...common,
        summary: 'Edit your comment',
        params: commentIdParams,
        body: commentBody,
        response: { 200: z.object({ comment: commentDto }), ...errors },
      },
    },
    async (request) => ({ comment: await comments.edit(rest(request.userId), request.params.id, request.body.body) }),
  );

  app.delete(
    '/comments/:id',
    {
      schema: { ...common, summary: 'Delete a comment (its author, or the list’s owner)', params: commentIdParams, response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      await comments.remove(rest(request.userId), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
