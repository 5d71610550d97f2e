import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { downloadResponse, type ExportLimits, holdDownloadSlot, sendDownload } from '../http/downloads.ts';
import { errorResponse } from '../shared/schemas.ts';
import { completeBody, taskDto, taskInput, taskListQuery, taskPatch, taskRefParams } from './tasks.schemas.ts';
import type { TasksService } from './tasks.service.ts';
import { exportFormats, exportTasks, importBody, importReport, importTasks, maxImportRows } from './tasks.transfer.ts';

export interface TasksRoutesOptions {
  tasks: TasksService;
  exports: ExportLimits;
  /** The /api/:user_id/... aliases: same routes, left out of the API docs. */
  alias?: boolean;
}

const taskResponse = z.object({ task: taskDto });
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 429: errorResponse };

export const tasksRoutes: FastifyPluginAsyncZod<TasksRoutesOptions> = async (app, { tasks, exports, alias = false }) => {
  const common = { tags: ['tasks'], security: [{ bearer: [] }], hide: alias };

  app.get(
    '/tasks',
    {
      schema: {
        ...common,
        summary: 'List tasks with filters, search, sort and cursor pagination',
        querystring: taskListQuery,
        response: { 200: z.object({ tasks: z.array(taskDto), next_cursor: z.string().nullable() }), ...errors },
      },
    },
    (request) => tasks.list(request.userId, request.query),
  );

  app.get(
    '/tasks/export',
    {
      schema: {
        ...common,
        summary: 'Download every task as JSON, CSV or iCalendar (one VTODO per task, DUE in the user zone)',
        querystring: z.object({ format: z.enum(exportFormats).default('json') }),
        produces: ['application/json', 'text/csv', 'text/calendar'],
        response: { 200: downloadResponse, ...errors },
      },
    },
    async (request, reply) => {
      holdDownloadSlot(exports, request.userId, reply);
      const timeZone = await tasks.timeZone(request.userId);
      return sendDownload(reply, exportTasks(tasks.allInBatches(request.userId, exports.statementTimeoutMs), request.query.format, timeZone));
    },
  );

  app.post(
    '/tasks/import',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        ...common,
        summary: `Create tasks from JSON or CSV (at most ${maxImportRows} rows); each row is created or reported on its own`,
        body: importBody,
        response: { 200: importReport, ...errors, 409: errorResponse },
      },
    },
    (request) => importTasks(tasks, request.userId, request.body),
  );

  app.post(
    '/tasks',
    {
      schema: { ...common, summary: 'Create a task', body: taskInput, response: { 201: taskResponse, ...errors, 409: errorResponse } },
    },
    async (request, reply) => reply.status(201).send({ task: await tasks.create(request.userId, request.body) }),
  );

  app.get(
    '/tasks/:ref',
    {
      schema: { ...common, summary: 'Get a task by uuid or number', params: taskRefParams, response: { 200: taskResponse, ...errors } },
    },
    async (request) => ({ task: await tasks.get(request.userId, request.params.ref) }),
  );

  app.patch(
    '/tasks/:ref',
    {
      schema: { ...common, summary: 'Change some fields of a task', params: taskRefParams, body: taskPatch, response: { 200: taskResponse, ...errors } },
    },
    async (request) => ({ task: await tasks.update(request.userId, request.params.ref, request.body) }),
  );

  app.put(
    '/tasks/:ref',
    {
      schema: {
        ...common,
        summary: 'Replace the editable fields of a task (omitted ones reset)',
        params: taskRefParams,
        body: taskInput,
        response: { 200: taskResponse, ...errors },
      },
    },
    async (request) => ({ task: await tasks.replace(request.userId, request.params.ref, request.body) }),
  );

  app.patch(
    '/tasks/:ref/complete',
    {
      schema: {
        ...common,
        summary: 'Set completion, or toggle it with an empty body',
        params: taskRefParams,
        body: completeBody,
        response: { 200: taskResponse, ...errors },
      },
    },
    async (request) => ({ task: await tasks.setCompleted(request.userId, request.params.ref, request.body?.completed) }),
  );

  app.delete(
    '/tasks/:ref',
    {
      schema: { ...common, summary: 'Delete a task', params: taskRefParams, response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      await tasks.remove(request.userId, request.params.ref);
      return reply.status(204).send(null);
    },
  );
};
