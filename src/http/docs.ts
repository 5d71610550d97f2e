// OpenAPI document generated from the route zod schemas, served at /openapi.json and /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { docsCsp } from './security-headers.ts';

export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'taskstream', version: '0.1.0', description: 'REST API of taskstream. Real-time events are on Socket.IO at /socket.io (see README).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', ...docsCsp });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
