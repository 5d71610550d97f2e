import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';

describe('operations endpoints', () => {
  const suite = testApp();

  it('answers /health and /ready', async () => {
    expect((await suite.app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await suite.app.inject('/ready');
    expect(ready.statusCode).toBe(200);
  });

  it('publishes an OpenAPI document generated from the zod schemas, and the docs page', async () => {
    const doc = (await suite.app.inject('/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/tasks', '/api/tasks/{ref}', '/api/auth/signup', '/api/conversations', '/api/conversations/{id}/messages']),
    );
    const create = doc.paths['/api/tasks'].post.requestBody.content['application/json'].schema;
    expect(create.required).toContain('title');
    expect(create.properties.priority.enum).toEqual(['low', 'medium', 'high', 'urgent']);
    // The Phase II/III compatibility routes are listed, deprecated, each with its user_id parameter.
    const compatibility = Object.entries(doc.paths).filter(([route]) => route.includes('{user_id}'));
    expect(compatibility.map(([route]) => route)).toEqual(expect.arrayContaining(['/api/{user_id}/tasks', '/api/{user_id}/chat']));
    for (const [, operations] of compatibility) {
      for (const operation of Object.values(operations as Record<string, any>)) {
        expect(operation).toMatchObject({ deprecated: true, tags: ['compatibility'] });
        expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'user_id', in: 'path', required: true }));
      }
    }
    const docs = await suite.app.inject('/docs');
    expect([200, 301, 302]).toContain(docs.statusCode);
  });

  it('serves the client demo at /', async () => {
    const page = await suite.app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('sends security headers: nosniff everywhere, a CSP without inline script that forbids framing on pages', async () => {
    const page = await suite.app.inject('/');
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    for (const url of ['/health', '/api/tasks', '/suite.app.js', '/openapi.json'])
      expect((await suite.app.inject(url)).headers['x-content-type-options']).toBe('nosniff');
    const docs = await suite.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(String(docs.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(String(docs.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });
});
