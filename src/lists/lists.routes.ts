// /api/lists, their members, invitations and activity, /api/invitations (the caller's own), and /api/undo.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../shared/schemas.ts';
import { changeDto, historyQuery, taskDto, undoBody } from '../tasks/tasks.schemas.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import {
  createListBody,
  invitationDto,
  invitationIdParams,
  invitationParams,
  inviteBody,
  listDto,
  listIdParams,
  memberDto,
  memberParams,
  memberRoleBody,
  receivedInvitationDto,
  updateListBody,
} from './lists.schemas.ts';
import type { ListsService } from './lists.service.ts';

const listResponse = z.object({ list: listDto });
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse };
const writeErrors = { ...errors, 403: errorResponse, 409: errorResponse };

export const listsRoutes: FastifyPluginAsyncZod<{ lists: ListsService; tasks: TasksService }> = async (app, { lists, tasks }) => {
  const common = { tags: ['lists'], security: [{ bearer: [] }] };

  app.get(
    '/lists',
    {
      schema: {
        ...common,
        summary: 'Your lists: the personal one first, then those shared with you',
        response: { 200: z.object({ lists: z.array(listDto) }), 401: errorResponse },
      },
    },
    async (request) => ({ lists: await lists.all(request.userId) }),
  );

  app.post(
    '/lists',
    { schema: { ...common, summary: 'Make a list (you own it)', body: createListBody, response: { 201: listResponse, ...errors } } },
    async (request, reply) => reply.status(201).send({ list: await lists.create(request.userId, request.body) }),
  );

  app.get(
    '/lists/:id',
    { schema: { ...common, summary: 'One of your lists', params: listIdParams, response: { 200: listResponse, ...errors } } },
    async (request) => ({ list: await lists.get(request.userId, request.params.id) }),
  );

  app.patch(
    '/lists/:id',
    {
      schema: {
        ...common,
        summary: 'Rename or recolour a list (its owner; a personal list keeps its name)',
        params: listIdParams,
        body: updateListBody,
        response: { 200: listResponse, ...writeErrors },
      },
    },
    async (request) => ({ list: await lists.update(request.userId, request.params.id, request.body) }),
  );

  app.delete(
    '/lists/:id',
    {
      schema: {
        ...common,
        summary: 'Delete a list and its tasks (its owner; not the personal list)',
        params: listIdParams,
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (request, reply) => {
      await lists.remove(request.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/lists/:id/members',
    {
      schema: {
        ...common,
        summary: 'The members of a list (the owner included), and for its owner the invitations waiting',
        params: listIdParams,
        response: { 200: z.object({ members: z.array(memberDto), invitations: z.array(invitationDto) }), ...errors },
      },
    },
    (request) => lists.members(request.userId, request.params.id),
  );

  app.patch(
    '/lists/:id/members/:userId',
    {
      schema: {
        ...common,
        summary: "Change a member's role (the owner); `owner` hands the list over",
        params: memberParams,
        body: memberRoleBody,
        response: { 200: z.object({ members: z.array(memberDto) }), ...writeErrors },
      },
    },
    async (request) => ({ members: await lists.setRole(request.userId, request.params.id, request.params.userId, request.body.role) }),
  );

  app.delete(
    '/lists/:id/members/:userId',
    {
      schema: {
        ...common,
        summary: 'Remove a member (the owner), or leave a list (yourself)',
        params: memberParams,
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (request, reply) => {
      await lists.removeMember(request.userId, request.params.id, request.params.userId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/lists/:id/invitations',
    {
      schema: {
        ...common,
        summary: 'Invite someone by email (the owner); an email without an account sees it after signing up',
        params: listIdParams,
        body: inviteBody,
        response: { 201: z.object({ invitation: invitationDto }), ...writeErrors },
      },
    },
    async (request, reply) => reply.status(201).send({ invitation: await lists.invite(request.userId, request.params.id, request.body) }),
  );

  app.delete(
    '/lists/:id/invitations/:invitationId',
    { schema: { ...common, summary: 'Revoke an invitation (the owner)', params: invitationParams, response: { 204: z.null(), ...writeErrors } } },
    async (request, reply) => {
      await lists.revokeInvitation(request.userId, request.params.id, request.params.invitationId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/invitations',
    {
      schema: {
        tags: ['lists'],
        security: [{ bearer: [] }],
        summary: 'Invitations waiting for you',
        response: { 200: z.object({ invitations: z.array(receivedInvitationDto) }), 401: errorResponse },
      },
    },
    async (request) => ({ invitations: await lists.received(request.userId) }),
  );

  app.post(
    '/invitations/:id/accept',
    { schema: { ...common, summary: 'Accept an invitation: you join its list', params: invitationIdParams, response: { 200: listResponse, ...errors } } },
    async (request) => ({ list: await lists.accept(request.userId, request.params.id) }),
  );

  app.post(
    '/invitations/:id/decline',
    { schema: { ...common, summary: 'Decline an invitation', params: invitationIdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await lists.decline(request.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/lists/:id/activity',
    {
      schema: {
        ...common,
        summary: "A list's activity: every change of its tasks, newest first",
        params: listIdParams,
        querystring: historyQuery,
        response: { 200: z.object({ activity: z.array(changeDto), next_cursor: z.string().nullable() }), ...errors },
      },
    },
    (request) => tasks.activity(request.userId, request.params.id, request.query),
  );

  app.post(
    '/undo',
    {
      schema: {
        tags: ['tasks'],
        security: [{ bearer: [] }],
        summary: 'Undo your latest change (or the one named) when nothing later touched the same fields',
        body: undoBody,
        response: { 200: z.object({ undone: changeDto, task: taskDto.nullable() }), ...writeErrors },
      },
    },
    (request) => tasks.undo({ userId: request.userId, channel: 'rest' }, request.body?.change_id),
  );

  app.post(
    '/lists/:id/archive-completed',
    {
      schema: {
        ...common,
        summary: "Archive a list's completed tasks at once (an editor)",
        params: listIdParams,
        response: { 200: z.object({ archived: z.number().int() }), ...writeErrors },
      },
    },
    (request) => tasks.archiveCompleted({ userId: request.userId, channel: 'rest' }, request.params.id),
  );
};
