// OpenAPI document generated from the route zod schemas, served at /openapi.json and /docs. It is
// exact: every status a route can answer is listed, and 204s have no content.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../shared/schemas.ts';
import { docsCsp } from './security-headers.ts';

interface Operation {
  requestBody?: { content?: Record<string, { schema?: { nullable?: boolean } }> };
  parameters?: unknown[];
  security?: unknown[];
  responses?: Record<string, { description?: string; content?: unknown }>;
}

const errorContent = { 'application/json': { schema: z.toJSONSchema(errorResponse, { target: 'openapi-3.0' }) } };

/** The answers any route can give besides its own: what the shared plugins and hooks send. */
function addSharedResponses(path: string, operation: Operation): void {
  operation.responses ??= {};
  const responses = operation.responses;
  const add = (status: number, description: string) => {
    responses[status] ??= { description, content: errorContent };
  };
  if (operation.requestBody || operation.parameters?.length) add(400, 'VALIDATION_ERROR or BAD_REQUEST (malformed JSON)');
  if (operation.security?.length) add(401, 'UNAUTHORIZED: no valid access token');
  if (operation.requestBody) {
    add(413, 'PAYLOAD_TOO_LARGE');
    add(415, 'UNSUPPORTED_MEDIA_TYPE: a non-empty body that is not JSON');
  }
  add(429, 'RATE_LIMITED, with Retry-After');
  add(500, 'INTERNAL_ERROR (a bug; the log has its request id)');
  if (path !== '/health') add(503, 'UNAVAILABLE: the database is not answering, with Retry-After');
  // An upload's body schema is null to the validator (the route streams the file itself); the document says what is sent.
  const upload = operation.requestBody?.content?.['multipart/form-data']?.schema;
  if (upload) delete upload.nullable;
  // Errors are JSON whatever a route's files are (a download's `produces` names the file's types).
  for (const [status, response] of Object.entries(responses)) if (Number(status) >= 400) response.content = errorContent;
  const noContent = responses[204];
  if (noContent) delete noContent.content;
}

export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'taskstream', version: '0.1.0', description: 'REST API of taskstream. Real-time events are on Socket.IO at /socket.io (see README).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => {
      const openapi = 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
      for (const [path, operations] of Object.entries((openapi.paths ?? {}) as Record<string, Record<string, Operation>>)) {
        for (const operation of Object.values(operations)) addSharedResponses(path, operation);
      }
      return openapi;
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', ...docsCsp });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
