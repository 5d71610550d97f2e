// Serves the browser client at / and the embeddable chat widget at /widget.js: static files, and
// their TypeScript bundled by esbuild at start.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';

const root = path.resolve(import.meta.dirname, '../../client-demo');

const bundles = new Map<string, Promise<string>>();

/** A script of the client bundled once per process, in memory: nothing to build by hand, nothing stale on disk. */
export function bundleScript(entry: 'main' | 'widget/widget'): Promise<string> {
  let bundle = bundles.get(entry);
  if (!bundle) {
    // The demo is a module with its source map; the widget a classic script (it reads its own <script> tag), as small as it gets.
    const widget = entry === 'widget/widget';
    bundle = build({
      entryPoints: [path.join(root, `src/${entry}.ts`)],
      bundle: true,
      write: false,
      format: widget ? 'iife' : 'esm',
      target: 'es2022',
      minify: true,
      legalComments: widget ? 'none' : 'inline',
      sourcemap: widget ? false : 'inline',
      logLevel: 'silent',
    }).then((result) => result.outputFiles[0]!.text);
    bundles.set(entry, bundle);
  }
  return bundle;
}

export async function registerClientDemo(app: FastifyInstance): Promise<void> {
  const [script, widget] = await Promise.all([bundleScript('main'), bundleScript('widget/widget')]);
  app.get('/app.js', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  );
  await registerWidget(app, widget);
  // Routes for the files there are, and no catch-all: any other path is the API's 404, in its shape.
  await app.register(fastifyStatic, { root: path.join(root, 'public'), index: 'index.html', wildcard: false });
}

/**
 * GET /widget.js for pages of any origin: loadable cross-origin (CORP), cached and revalidated by its
 * ETag (a 304 when unchanged), gzipped for a client that accepts it.
 */
async function registerWidget(app: FastifyInstance, widget: string): Promise<void> {
  const etag = `"${createHash('sha256').update(widget).digest('base64url').slice(0, 27)}"`;
  const gzipped = await promisify(gzip)(widget, { level: 9 });
  app.get('/widget.js', { schema: { hide: true } }, (request, reply) => {
    reply
      .header('etag', etag)
      .header('cache-control', 'public, max-age=300, must-revalidate')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('vary', 'accept-encoding');
    const wanted = request.headers['if-none-match'];
    if (wanted?.split(/\s*,\s*/).some((tag) => tag === etag || tag === `W/${etag}` || tag === '*')) return reply.code(304).send();
    reply.type('text/javascript; charset=utf-8');
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(gzipped);
    return reply.send(widget);
  });
}
