import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { downloadResponse, type ExportLimits, holdDownloadSlot, sendDownload } from '../http/downloads.ts';
import { taskLabelsBody } from '../labels/labels.schemas.ts';
import { errorResponse } from '../shared/schemas.ts';
import {
  changeDto,
  completeBody,
  createTaskBody,
  exportQuery,
  historyQuery,
  listQuery,
  moveBody,
  taskDto,
  taskInput,
  taskListQuery,
  taskPatch,
  taskRefParams,
  taskRefQuery,
} from './tasks.schemas.ts';
import type { Actor, TasksService } from './tasks.service.ts';
import { exportFormats, exportTasks, importBody, importReport, importTasks, maxImportRows } from './tasks.transfer.ts';

export interface TasksRoutesOptions {
  tasks: TasksService;
  exports: ExportLimits;
  /** The /api/:user_id/... aliases: same routes on the caller's personal list only (deprecated in the API docs). */
  alias?: boolean;
}

const taskResponse = z.object({ task: taskDto });
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 429: errorResponse };
const writeErrors = { ...errors, 403: errorResponse };

export const tasksRoutes: FastifyPluginAsyncZod<TasksRoutesOptions> = async (app, { tasks, exports, alias = false }) => {
  const common = { tags: ['tasks'], security: [{ bearer: [] }], hide: alias };
  /** The list a request names: the aliases act on the caller's personal list only, whatever they name. */
  const listOf = async (userId: string, listId: string | undefined) => (alias ? tasks.personalListId(userId) : listId);
  /** A change made over REST, as history records it. */
  const rest = (userId: string): Actor => ({ userId, channel: 'rest' });
  const refOf = async (userId: string, ref: string | number, listId: string | undefined) => ({ ref, listId: await listOf(userId, listId) });

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
    async (request) => tasks.list(request.userId, { ...request.query, list_id: await listOf(request.userId, request.query.list_id) }),
  );

  app.get(
    '/tasks/export',
    {
      schema: {
        ...common,
        summary: 'Download every task of a list as JSON, CSV or iCalendar (one VTODO per task, DUE in the user zone)',
        querystring: exportQuery.extend({ format: z.enum(exportFormats).default('json') }),
        produces: ['application/json', 'text/csv', 'text/calendar'],
        response: { 200: downloadResponse, ...errors },
      },
    },
    async (request, reply) => {
      holdDownloadSlot(exports, request.userId, reply);
      const timeZone = await tasks.timeZone(request.userId);
      const listId = await listOf(request.userId, request.query.list_id);
      const batches = await tasks.allInBatches(request.userId, exports.statementTimeoutMs, listId, request.query.archived);
      return sendDownload(reply, exportTasks(batches, request.query.format, timeZone));
    },
  );

  app.post(
    '/tasks/import',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        ...common,
        summary: `Create tasks in a list from JSON, CSV or iCalendar (at most ${maxImportRows} rows or VTODOs); each is created or reported on its own`,
        querystring: listQuery,
        body: importBody,
        response: { 200: importReport, ...writeErrors, 409: errorResponse },
      },
    },
    async (request) => importTasks(tasks, request.userId, request.body, await listOf(request.userId, request.query.list_id)),
  );

  app.post(
    '/tasks',
    {
      schema: {
        ...common,
        summary: 'Create a task (in your personal list unless list_id names another you can edit)',
        body: createTaskBody,
        response: { 201: taskResponse, ...writeErrors, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const { list_id, assignee_id, ...input } = request.body;
      const placement = alias ? { list_id: await listOf(request.userId, undefined) } : { list_id, assignee_id };
      return reply.status(201).send({ task: await tasks.create(rest(request.userId), { ...input, ...placement }) });
    },
  );

  app.get(
    '/tasks/:ref',
    {
      schema: {
        ...common,
        summary: 'Get a task by uuid, or by number in a list (your personal list by default)',
        params: taskRefParams,
        querystring: taskRefQuery,
        response: { 200: taskResponse, ...errors },
      },
    },
    async (request) => ({ task: await tasks.get(request.userId, await refOf(request.userId, request.params.ref, request.query.list_id)) }),
  );

  app.patch(
    '/tasks/:ref',
    {
      schema: {
        ...common,
        summary: 'Change some fields of a task, assign it, or move it to another list (list_id)',
        params: taskRefParams,
        querystring: taskRefQuery,
        body: taskPatch,
        response: { 200: taskResponse, ...writeErrors },
      },
    },
    async (request) => {
      const { list_id, assignee_id, ...patch } = request.body;
      const ref = await refOf(request.userId, request.params.ref, request.query.list_id);
      return { task: await tasks.update(rest(request.userId), ref, alias ? patch : { ...patch, list_id, assignee_id }) };
    },
  );

  app.put(
    '/tasks/:ref',
    {
      schema: {
        ...common,
        summary: 'Replace the editable fields of a task (omitted ones reset)',
        params: taskRefParams,
        querystring: taskRefQuery,
        body: taskInput,
        response: { 200: taskResponse, ...writeErrors },
      },
    },
    async (request) => ({
      task: await tasks.replace(rest(request.userId), await refOf(request.userId, request.params.ref, request.query.list_id), request.body),
    }),
  );

  app.patch(
    '/tasks/:ref/complete',
    {
      schema: {
        ...common,
        summary: 'Set completion, or toggle it with an empty body',
        params: taskRefParams,
        querystring: taskRefQuery,
        body: completeBody,
        response: { 200: taskResponse, ...writeErrors },
      },
    },
    async (request) => ({
      task: await tasks.setCompleted(rest(request.userId), await refOf(request.userId, request.params.ref, request.query.list_id), request.body?.completed),
    }),
  );

  app.post(
    '/tasks/:ref/complete-forever',
    {
      schema: {
        ...common,
        summary: 'Complete a recurring task for good: its recurrence ends',
        params: taskRefParams,
        querystring: taskRefQuery,
        response: { 200: taskResponse, ...writeErrors },
      },
    },
    async (request) => ({
      task: await tasks.completeForever(rest(request.userId), await refOf(request.userId, request.params.ref, request.query.list_id)),
    }),
  );

  app.delete(
    '/tasks/:ref',
    {
      schema: { ...common, summary: 'Delete a task', params: taskRefParams, querystring: taskRefQuery, response: { 204: z.null(), ...writeErrors } },
    },
    async (request, reply) => {
      await tasks.remove(rest(request.userId), await refOf(request.userId, request.params.ref, request.query.list_id));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/tasks/:ref/history',
    {
      schema: {
        ...common,
        summary: "A task's history: every change, by whom and through what, newest first",
        params: taskRefParams,
        querystring: taskRefQuery.extend(historyQuery.shape),
        response: { 200: z.object({ history: z.array(changeDto), next_cursor: z.string().nullable() }), ...errors },
      },
    },
    async (request) => {
      const { list_id, ...page } = request.query;
      return tasks.history(request.userId, await refOf(request.userId, request.params.ref, list_id), page);
    },
  );

  for (const [action, archived] of [
    ['archive', true],
    ['unarchive', false],
  ] as const) {
    app.post(
      `/tasks/:ref/${action}`,
      {
        schema: {
          ...common,
          summary: archived ? 'Archive a task: out of the default reads, still findable and restorable' : 'Bring an archived task back',
          params: taskRefParams,
          querystring: taskRefQuery,
          response: { 200: taskResponse, ...writeErrors },
        },
      },
      async (request) => ({
        task: await tasks.setArchived(rest(request.userId), await refOf(request.userId, request.params.ref, request.query.list_id), archived),
      }),
    );
  }

  app.put(
    '/tasks/:ref/labels',
    {
      schema: {
        ...common,
        summary: "Replace your labels on a task (other members' labels stay)",
        params: taskRefParams,
        querystring: taskRefQuery,
        body: taskLabelsBody,
        response: { 200: taskResponse, ...writeErrors },
      },
    },
    async (request) => ({
      task: await tasks.setLabels(rest(request.userId), await refOf(request.userId, request.params.ref, request.query.list_id), request.body.label_ids),
    }),
  );

  app.post(
    '/tasks/:ref/move',
    {
      schema: {
        ...common,
        summary: 'Move a task right before or after another task of its list (the manual order)',
        params: taskRefParams,
        querystring: taskRefQuery,
        body: moveBody,
        response: { 200: taskResponse, ...writeErrors },
      },
    },
    async (request) => {
      const ref = await refOf(request.userId, request.params.ref, request.query.list_id);
      const anchor = request.body.before !== undefined ? { before: { ref: request.body.before } } : { after: { ref: request.body.after! } };
      return { task: await tasks.move(rest(request.userId), ref, anchor) };
    },
  );
};
