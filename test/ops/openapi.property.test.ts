// Property-based check of the whole REST API against its own OpenAPI document: every operation,
// with inputs generated from its schemas (valid ones, and hostile ones), never answers a 5xx, and
// every answer is a status the document lists, with a body matching that status's schema.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signup, type TestUser } from '../helpers/app.ts';

type Schema = Record<string, any>;
interface Operation {
  parameters?: { in: 'path' | 'query'; name: string; required?: boolean; schema: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

/** OpenAPI 3.0's `nullable` as plain JSON Schema, which ajv reads. */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Schema;
  const converted: Schema = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, toJsonSchema(value)]));
  if (!nullable) return converted;
  if (Array.isArray(converted.enum)) converted.enum = [...converted.enum, null];
  return converted.type ? { ...converted, type: [converted.type, 'null'] } : { anyOf: [converted, { type: 'null' }] };
}

/** Values that fit a schema (a subset of JSON Schema: what zod emits for this API). */
function valid(schema: Schema): fc.Arbitrary<unknown> {
  const base = validNonNull(schema);
  return schema.nullable ? fc.oneof(base, fc.constant(null)) : base;
}

function validNonNull(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum.filter((value: unknown) => value !== null));
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option: Schema) => valid(option)));
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'email') return fc.emailAddress().filter((email) => email.length <= (schema.maxLength ?? 255));
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length <= (schema.maxLength ?? Infinity));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1_000, -1_000), max: Math.min(schema.maximum ?? 1_000, 1_000) });
    case 'number':
      return fc.double({ noNaN: true, min: -1_000, max: 1_000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(schema.items ?? {}), { maxLength: 3 });
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      return fc.record(Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valid(property)])), {
        requiredKeys: schema.required ?? [],
      });
    }
    default:
      return fc.anything();
  }
}

/** Values an attacker or a careless client sends in place of a field. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ maxLength: 20 }).map((text) => `${text}\u0000`),
  fc.constantFrom('\ud800', 'x'.repeat(5_000), '0000-01-01', '9999-99-99', '-1', '1e400', '../../etc', ' ', '', '%00', "' or 1=1 --"),
);

/** A mostly valid input with a hostile field here and there. */
function input(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.type !== 'object' || !schema.properties) return fc.oneof({ weight: 3, arbitrary: valid(schema) }, { weight: 1, arbitrary: hostile });
  const properties = schema.properties as Record<string, Schema>;
  return fc.oneof(
    { weight: 3, arbitrary: valid(schema) },
    {
      weight: 2,
      arbitrary: fc.record(Object.fromEntries(Object.keys(properties).map((name) => [name, fc.oneof(valid(properties[name]!), hostile)])), {
        requiredKeys: [],
      }),
    },
    { weight: 1, arbitrary: hostile },
  );
}

const asText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

describe('the REST API against its OpenAPI document', () => {
  let app: FastifyInstance;
  let user: TestUser;
  let document: { paths: Record<string, Record<string, Operation>> };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validators = new Map<unknown, ValidateFunction>();
  const validatorFor = (schema: Schema) => {
    let validate = validators.get(schema);
    if (!validate) {
      validate = ajv.compile(toJsonSchema(schema) as object);
      validators.set(schema, validate);
    }
    return validate;
  };

  beforeAll(async () => {
    app = await createTestApp();
    user = await signup(app);
    // Something to find: refs 1–3 and a conversation exist for this user.
    for (const title of ['one', 'two', 'three']) await call(app, user, 'POST', '/api/tasks', { title });
    await call(app, user, 'POST', '/api/conversations', { title: 'talk' });
    document = (await app.inject('/openapi.json')).json();
  });
  afterAll(() => app.close());

  it('lists every operation with its shared answers, and no content for a 204', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(20);
    for (const { path, operation } of operations) {
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['429', '500']));
      if (operation.security?.length) expect(operation.responses).toHaveProperty('401');
      if (operation.requestBody) expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '413', '415']));
      if (path !== '/health') expect(operation.responses).toHaveProperty('503');
      if (operation.responses['204']) expect(operation.responses['204'].content).toBeUndefined();
    }
  });

  it('never answers a 5xx, and answers only listed statuses with bodies matching their schemas', async () => {
    const checked: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const pathParams = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
        const queryParams = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
        const bodySchema = operation.requestBody?.content['application/json']?.schema;
        const request = fc.record({
          path: fc.record(
            Object.fromEntries(
              pathParams.map((parameter) => [parameter.name, fc.oneof({ weight: 4, arbitrary: valid(parameter.schema) }, { weight: 1, arbitrary: hostile })]),
            ),
          ),
          query: fc.record(Object.fromEntries(queryParams.map((parameter) => [parameter.name, input(parameter.schema)])), { requiredKeys: [] }),
          body: bodySchema ? input(bodySchema) : fc.constant(undefined),
          authorized: fc.boolean().map((value) => value || !operation.security?.length),
        });
        await fc.assert(
          fc.asyncProperty(request, async ({ path: params, query, body, authorized }) => {
            // A URL cannot carry a lone surrogate (it is not UTF-8): such text arrives as U+FFFD.
            const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(asText(params[name]).toWellFormed() || 'x'));
            const search = new URLSearchParams(Object.entries(query).map(([name, value]) => [name, asText(value).toWellFormed()]));
            const options: InjectOptions = {
              method: method.toUpperCase() as InjectOptions['method'],
              url: search.size ? `${url}?${search}` : url,
              headers: authorized ? user.auth : {},
              ...(body === undefined
                ? {}
                : { payload: JSON.stringify(body), headers: { ...(authorized ? user.auth : {}), 'content-type': 'application/json' } }),
            };
            const res = await app.inject(options);
            const where = `${method.toUpperCase()} ${options.url} ${asText(body).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
            expect(res.statusCode, where).toBeLessThan(500);
            const declared = operation.responses[String(res.statusCode)];
            expect(declared, `undeclared status: ${where}`).toBeDefined();
            if (res.statusCode === 204) {
              expect(res.body, where).toBe('');
              return;
            }
            const mediaType = String(res.headers['content-type']).split(';')[0]!;
            expect(declared!.content?.[mediaType], `undeclared media type ${mediaType}: ${where}`).toBeDefined();
            if (mediaType !== 'application/json') return;
            const schema = declared!.content?.['application/json']?.schema;
            expect(schema, `no schema: ${where}`).toBeDefined();
            const validate = validatorFor(schema!);
            expect(validate(res.json()), `${where}\n${ajv.errorsText(validate.errors)}`).toBe(true);
          }),
          { numRuns: 40, seed: 20261128 },
        );
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(20);
  }, 180_000);
});
