// The only file that listens: config → database → buildApp → listen → graceful shutdown.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config/config.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './db/embedded.ts';

/** Development only: a JWT secret generated once and kept in DATA_DIR, so tokens survive restarts. */
function developmentJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function describeDatabase(config: Config, embedded: EmbeddedDatabase | undefined): string {
  if (embedded) return `embedded PostgreSQL on port ${embedded.port} (data in ${embedded.clusterDir})`;
  const url = new URL(config.databaseUrl!);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

/** Any failure before the server listens ends as one line on stderr, never a stack trace. */
function exitWithOneLine(error: unknown): never {
  const text = error instanceof ConfigError ? error.message : `taskstream could not start: ${error instanceof Error ? error.message : String(error)}`;
  console.error(text.replace(/\s*\n\s*/g, ' '));
  process.exit(1);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase({ dataDir: config.dataDir });
  if (embedded) process.once('exit', () => embedded.stopNow());
  const runtime: Config = { ...config, databaseUrl: config.databaseUrl ?? embedded!.url, jwtSecret: config.jwtSecret ?? developmentJwtSecret(config.dataDir) };

  const assistant =
    config.assistant === 'openai'
      ? `OpenAI-compatible (${config.openai.model}${config.openai.baseUrl ? ` at ${config.openai.baseUrl}` : ''})`
      : 'built-in offline';
  const startLine = (port: string | number) =>
    `taskstream listening on http://${config.host}:${port} — database: ${describeDatabase(runtime, embedded)} — assistant: ${assistant}`;
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp(runtime);
    // The start line is the listen line itself: the first thing the log says once the server is up.
    await app.listen({ port: config.port, host: config.host, listenTextResolver: (address) => startLine(new URL(address).port || config.port) });
  } catch (error) {
    await embedded?.stop();
    exitWithOneLine(error);
  }
  // A log level above info would hide it: then it is printed as it is.
  if (!['trace', 'debug', 'info'].includes(config.logLevel)) {
    const address = app.server.address();
    console.log(startLine(typeof address === 'object' && address ? address.port : config.port));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      console.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await app.close();
    } finally {
      await embedded?.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

await main().catch(exitWithOneLine);
