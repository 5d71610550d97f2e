// /api/labels: the caller's labels (the seeds' categories).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../shared/errors.ts';
import { errorResponse } from '../shared/schemas.ts';
import type { LabelsRepository } from './labels.repository.ts';
import { createLabelBody, labelDto, labelIdParams, updateLabelBody } from './labels.schemas.ts';

export const labelsRoutes: FastifyPluginAsyncZod<{ labels: LabelsRepository }> = async (app, { labels }) => {
  const common = { tags: ['labels'], security: [{ bearer: [] }] };
  const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 409: errorResponse };

  app.get(
    '/labels',
    { schema: { ...common, summary: 'Your labels', response: { 200: z.object({ labels: z.array(labelDto) }), 401: errorResponse } } },
    async (request) => ({
      labels: await labels.of(request.userId),
    }),
  );

  app.post(
    '/labels',
    {
      schema: {
        ...common,
        summary: 'Make a label (names are unique per user, whatever their case)',
        body: createLabelBody,
        response: { 201: z.object({ label: labelDto }), ...errors },
      },
    },
    async (request, reply) => reply.status(201).send({ label: await labels.create(request.userId, request.body.name, request.body.color) }),
  );

  app.patch(
    '/labels/:id',
    {
      schema: {
        ...common,
        summary: 'Rename or recolour a label',
        params: labelIdParams,
        body: updateLabelBody,
        response: { 200: z.object({ label: labelDto }), ...errors },
      },
    },
    async (request) => {
      const label = await labels.update(request.userId, request.params.id, request.body);
      if (!label) throw notFound('Label');
      return { label };
    },
  );

  app.delete(
    '/labels/:id',
    { schema: { ...common, summary: 'Delete a label (it leaves every task)', params: labelIdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      if (!(await labels.delete(request.userId, request.params.id))) throw notFound('Label');
      return reply.status(204).send(null);
    },
  );
};
