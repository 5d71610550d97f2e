// /api/tasks/:ref/reminders and /api/reminders/:id: a task's reminders, set, removed and snoozed.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../shared/schemas.ts';
import { taskRefParams, taskRefQuery } from '../tasks/tasks.schemas.ts';
import { reminderBody, reminderDto, reminderIdParams, snoozeBody } from './reminders.schemas.ts';
import type { RemindersService } from './reminders.service.ts';

export const remindersRoutes: FastifyPluginAsyncZod<{ reminders: RemindersService }> = async (app, { reminders }) => {
  const common = { tags: ['reminders'], security: [{ bearer: [] }] };
  const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 429: errorResponse };

  app.post(
    '/tasks/:ref/reminders',
    {
      schema: {
        ...common,
        summary: 'Remind the task’s creator and assignee: at an instant, or some minutes before its due date (it then moves with it)',
        params: taskRefParams,
        querystring: taskRefQuery,
        body: reminderBody,
        response: { 201: z.object({ reminder: reminderDto }), ...errors },
      },
    },
    async (request, reply) => {
      const { reminder } = await reminders.add(request.userId, { ref: request.params.ref, listId: request.query.list_id }, request.body);
      return reply.status(201).send({ reminder });
    },
  );

  app.delete(
    '/reminders/:id',
    { schema: { ...common, summary: 'Remove a reminder', params: reminderIdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await reminders.remove(request.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/reminders/:id/snooze',
    {
      schema: {
        ...common,
        summary: 'Remind again some minutes from now',
        params: reminderIdParams,
        body: snoozeBody,
        response: { 200: z.object({ reminder: reminderDto }), ...errors },
      },
    },
    async (request) => ({ reminder: await reminders.snooze(request.userId, request.params.id, request.body.minutes) }),
  );
};
