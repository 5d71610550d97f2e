// Serves the browser client at /: static files, and its TypeScript bundled by esbuild at start.

import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';

const root = path.resolve(import.meta.dirname, '../../client-demo');

let bundle: Promise<string> | undefined;

/** Bundled once per process, in memory: nothing to build by hand, nothing stale on disk. */
function bundleClient(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(root, 'src/main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'inline',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundle;
}

export async function registerClientDemo(app: FastifyInstance): Promise<void> {
  const script = await bundleClient();
  app.get('/app.js', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  );
  // Routes for the files there are, and no catch-all: any other path is the API's 404, in its shape.
  await app.register(fastifyStatic, { root: path.join(root, 'public'), index: 'index.html', wildcard: false });
}
