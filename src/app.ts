// buildApp: opens the database and registers every part of the server; it never listens.
import cors from '@fastify/cors';
import { RequestContext } from '@mikro-orm/core';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chatRoutes } from './assistant/chat.routes.ts';
import { ChatService } from './assistant/chat.service.ts';
import { chatUiRoutes } from './assistant/chat-ui.routes.ts';
import type { AssistantProvider } from './assistant/provider.ts';
import { OfflineProvider } from './assistant/providers/offline/offline.provider.ts';
import { OpenAiProvider } from './assistant/providers/openai.ts';
import { tapReplies } from './assistant/replies/reply-tap.ts';
import { AttachmentsRepository } from './attachments/attachments.repository.ts';
import { attachmentsRoutes } from './attachments/attachments.routes.ts';
import { AttachmentsService } from './attachments/attachments.service.ts';
import { PostgresFileStore } from './attachments/storage.ts';
import { AccessTokens } from './auth/access-tokens.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { AuthService } from './auth/auth.service.ts';
import { personalTokensRoutes } from './auth/personal-tokens.routes.ts';
import { PersonalTokensService } from './auth/personal-tokens.service.ts';
import { EndedSessions } from './auth/sessions.ts';
import { CommentsRepository } from './comments/comments.repository.ts';
import { commentsRoutes } from './comments/comments.routes.ts';
import { CommentsService } from './comments/comments.service.ts';
import type { Config } from './config/config.ts';
import { ConversationsRepository } from './conversations/conversations.repository.ts';
import { conversationsRoutes } from './conversations/conversations.routes.ts';
import { type ConversationEventSink, ConversationsService } from './conversations/conversations.service.ts';
import { ConversationSearch } from './conversations/search.ts';
import { type Orm, openOrm } from './db/orm.ts';
import { executeBound } from './db/sql.ts';
import { registerJwt, requireUser } from './http/auth-guard.ts';
import { registerClientDemo } from './http/client-demo.ts';
import { registerDocs } from './http/docs.ts';
import type { ExportLimits } from './http/downloads.ts';
import { frameworkErrors, registerErrorHandling } from './http/error-handler.ts';
import { registerInputHygiene } from './http/input-hygiene.ts';
import { Metrics, registerMetrics } from './http/metrics.ts';
import { authLimits, registerInFlightLimit, registerRestLimit, SharedWindows } from './http/rate-limits.ts';
import { corsOptions, registerSecurityHeaders } from './http/security-headers.ts';
import { LabelsRepository } from './labels/labels.repository.ts';
import { labelsRoutes } from './labels/labels.routes.ts';
import { ListsRepository } from './lists/lists.repository.ts';
import { listsRoutes } from './lists/lists.routes.ts';
import { ListsService } from './lists/lists.service.ts';
import { mcpRoutes } from './mcp/mcp.routes.ts';
import { createBroadcasts } from './realtime/broadcasts.ts';
import { serveSockets } from './realtime/gateway.ts';
import { createSocketServer } from './realtime/socket-server.ts';
import type { AppServer } from './realtime/socket-types.ts';
import { RemindersRepository } from './reminders/reminders.repository.ts';
import { remindersRoutes } from './reminders/reminders.routes.ts';
import { RemindersService } from './reminders/reminders.service.ts';
import { AppError } from './shared/errors.ts';
import { InFlight } from './shared/in-flight.ts';
import { Listeners } from './shared/listeners.ts';
import { errorResponse } from './shared/schemas.ts';
import { KeyedBuckets } from './shared/token-bucket.ts';
import { HistoryRepository } from './tasks/history.ts';
import { TasksRepository } from './tasks/tasks.repository.ts';
import { tasksRoutes } from './tasks/tasks.routes.ts';
import { TasksService } from './tasks/tasks.service.ts';

export interface AppOverrides {
  /** Keep the pool small when many apps share one database (tests). */
  poolMax?: number;
  /** The language model; by default the one the config names. */
  provider?: AssistantProvider;
  /** Now, for the views of the day and the reminders' scheduler (tests move it). */
  clock?: () => Date;
  /** How often each instance looks for due reminders (default every second, the first time 5 s after start; given, both are it); 0: only when told (`app.reminders.tick()`). */
  reminderPollMs?: number;
  /** Checkpoint period and stale-reply threshold of streaming replies. */
  checkpointMs?: number;
  staleAfterMs?: number;
}

function createProvider(config: Config): AssistantProvider {
  if (config.assistant === 'openai') {
    return new OpenAiProvider({ apiKey: config.openai.apiKey!, baseUrl: config.openai.baseUrl, model: config.openai.model, maxTokens: config.reply.maxTokens });
  }
  return new OfflineProvider({ wordDelayMs: config.assistantStreamDelayMs });
}

declare module 'fastify' {
  interface FastifyInstance {
    orm: Orm;
    io: AppServer;
    reminders: RemindersService;
  }
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  if (!config.jwtSecret) throw new Error('buildApp needs config.jwtSecret');
  if (!config.databaseUrl) throw new Error('buildApp needs config.databaseUrl');
  const app = Fastify({
    // Readable lines when a person watches (a terminal), JSON lines for whatever collects them.
    logger: {
      level: config.logLevel,
      ...(process.stdout.isTTY && config.env !== 'test'
        ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
        : {}),
    },
    // One line per request, at debug unless LOG_REQUESTS=on (below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    frameworkErrors,
    // A trickled request cannot hold a connection for ever: whole within REQUEST_TIMEOUT, headers
    // within 10 s, checked every second (Node's default looks every 30 s).
    requestTimeout: config.bounds.requestTimeoutMs,
    http: { headersTimeout: Math.min(10_000, config.bounds.requestTimeoutMs), connectionsCheckingInterval: 1_000 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built from typed DTOs, so in production they are not re-validated on the way out
  // (zod-parsing every page of tasks is most of a list's cost; BENCHMARKS.md); under test every response is
  // checked against its declared schema, so a DTO and its schema cannot drift apart unnoticed.
  app.setSerializerCompiler(config.env === 'test' ? serializerCompiler : () => (data) => JSON.stringify(data));
  registerErrorHandling(app);
  app.addHook('onResponse', async (request, reply) => {
    request.log[config.logRequests ? 'info' : 'debug'](
      { method: request.method, url: request.url.split('?')[0], statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
  registerInputHygiene(app);

  const orm = await openOrm(config.databaseUrl, { poolMax: overrides.poolMax });
  app.decorate('orm', orm);
  // The pool ends once every connection is back. Under heavy load one has been seen checked out and
  // idle for good (not yet traced; two full test runs of seven): closing waits 5 s for it, then says
  // so and goes on, rather than hold a shutdown (the process exits; the server's own bound is 10 s).
  app.addHook('onClose', async () => {
    const closed = orm.close().then(() => true);
    const waited = new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000).unref());
    if (!(await Promise.race([closed, waited])))
      app.log.warn('a database connection was still checked out 5 s into the shutdown; closing without waiting for it');
  });
  // One EntityManager fork per request (MikroORM's identity map must not be shared).
  app.addHook('onRequest', (_request, _reply, done) => RequestContext.create(orm.em, done));

  await registerJwt(app, config.jwtSecret, config.accessTokenTtlMs);
  const sessions = new EndedSessions(orm.em, config.accessTokenTtlMs);
  await sessions.start();
  app.addHook('onClose', async () => sessions.stop());
  const personalTokens = new PersonalTokensService(orm.em, sessions);
  const tokens = new AccessTokens(
    app.jwt,
    sessions,
    personalTokens,
    config.limits ? new KeyedBuckets(config.limits.authFailuresPerIp, 'auth_failures') : undefined,
  );
  await registerRestLimit(app, config.limits);
  const windows = new SharedWindows(orm.em);
  windows.start();
  app.addHook('onClose', async () => windows.stop());
  await registerSecurityHeaders(app);
  if (config.corsOrigins.length) await app.register(cors, corsOptions(config.corsOrigins));
  await registerDocs(app);

  // One budget per user, shared by all of the user's sockets, POST /api/chat and MCP (per instance).
  const budgets = config.limits && {
    messages: new KeyedBuckets(config.limits.messages, 'messages'),
    joins: new KeyedBuckets(config.limits.joins, 'joins'),
    commands: new KeyedBuckets(config.limits.commands, 'commands'),
    socketsPerUser: config.limits.socketsPerUser,
  };
  const listsRepository = new ListsRepository(orm.em);
  const sockets = await createSocketServer(app, {
    listsOf: (userId) => listsRepository.memberListIds(userId),
    tokens,
    sessions,
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    corsOrigins: config.corsOrigins,
    socketsPerUser: budgets?.socketsPerUser,
    trustProxy: config.trustProxy,
  });
  await sockets.listening;
  app.decorate('io', sockets.io);
  const broadcasts = createBroadcasts(sockets.io);
  const auth = new AuthService(orm.em, { tokens, secret: config.jwtSecret, refreshTokenTtlMs: config.refreshTokenTtlMs, sessions, personalTokens });
  const labels = new LabelsRepository(orm.em);
  const reminders = new RemindersRepository(orm.em);
  const tasks = new TasksService(
    new TasksRepository(orm.em),
    new HistoryRepository(orm.em),
    labels,
    listsRepository,
    broadcasts.taskEvents,
    config.bounds.tasksPerUser,
    reminders,
    overrides.clock,
  );
  // The chat service it reads is made further down: read when scraped.
  const metrics = config.metricsToken
    ? new Metrics({ io: sockets.io, replyCounts: () => chat.replyCounts(), pool: () => orm.em.getDriver().getConnection().getNativeClient() })
    : undefined;
  if (metrics) app.addHook('onClose', async () => metrics.close());
  const reminderEvents = {
    remindersFired: (fired: Parameters<typeof broadcasts.reminderEvents.remindersFired>[0]) => {
      metrics?.remindersFired(fired.length);
      broadcasts.reminderEvents.remindersFired(fired);
    },
  };
  const reminderScheduler = new RemindersService(reminders, tasks, reminderEvents, app.log, overrides.clock);
  app.decorate('reminders', reminderScheduler);
  const comments = new CommentsService(new CommentsRepository(orm.em), tasks, broadcasts.commentEvents);
  const attachments = new AttachmentsService(
    new AttachmentsRepository(orm.em),
    new PostgresFileStore(orm.em),
    tasks,
    broadcasts.attachmentEvents,
    { storagePerUser: config.bounds.storagePerUser, retentionMs: config.bounds.removedFilesKeptMs },
    app.log,
  );
  await attachments.start();
  app.addHook('preClose', () => attachments.stop());
  // A deleted list takes its tasks' files with it.
  const lists = new ListsService(listsRepository, {
    ...broadcasts.listEvents,
    listDeleted: (userIds, listId) => {
      broadcasts.listEvents.listDeleted(userIds, listId);
      void attachments.purge();
    },
  });
  // A user's exports and searches at once (no cap when RATE_LIMITS=off), and how long their statements may run.
  const exports: ExportLimits = {
    slots: config.limits ? new InFlight(config.limits.exportsPerUser) : undefined,
    statementTimeoutMs: config.bounds.statementTimeoutMs,
  };
  const searches = config.limits ? new InFlight(config.limits.searchesPerUser) : undefined;
  // Deleting a conversation also ends its reply, wherever it is generated (the chat service listens).
  const conversationDeleted = new Listeners<[conversationId: string]>();
  const conversationEvents: ConversationEventSink = {
    ...broadcasts.conversationEvents,
    conversationDeleted: (userId, id) => {
      broadcasts.conversationEvents.conversationDeleted(userId, id);
      conversationDeleted.emit(id);
    },
  };
  const conversations = new ConversationsService(new ConversationsRepository(orm.em), conversationEvents);
  // Replies go to their rooms (counted, with metrics), and to an HTTP stream of the turn that listens on this instance (/api/chat/ui).
  const replyTap = tapReplies(metrics ? metrics.instrument(broadcasts.replyEvents) : broadcasts.replyEvents);
  const chat = new ChatService({
    orm,
    provider: overrides.provider ?? createProvider(config),
    tasks,
    comments,
    reminders: reminderScheduler,
    conversations,
    conversationEvents,
    conversationDeleted,
    replies: replyTap.sink,
    stopOnPeers: broadcasts.stopOnPeers,
    log: app.log,
    repliesPerUser: config.limits?.repliesPerUser,
    replyTimeoutMs: config.reply.timeoutMs,
    checkpointMs: overrides.checkpointMs,
    staleAfterMs: overrides.staleAfterMs,
  });
  chat.start();
  // Before the sockets go: end the replies in progress as `interrupted`, persisted.
  app.addHook('preClose', () => chat.close());
  serveSockets(app, sockets.io, { orm, conversations, chat, tasks, limits: budgets ?? undefined });

  app.get('/health', { schema: { tags: ['ops'], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  app.get('/ready', { schema: { tags: ['ops'], response: { 200: z.object({ status: z.literal('ready') }) } } }, async () => {
    try {
      await executeBound(orm.em, 'select 1', []);
    } catch {
      throw new AppError('UNAVAILABLE', 'The database is not answering');
    }
    return { status: 'ready' as const };
  });

  const limits = authLimits(windows, config.limits);
  await app.register(authRoutes, { prefix: '/api/auth', auth, tokens, limits });
  await app.register(personalTokensRoutes, { prefix: '/api', personalTokens, tokens, auth, limits });
  await app.register(
    async (api) => {
      api.addHook('onRequest', requireUser(tokens));
      registerInFlightLimit(api, config.limits?.requestsPerUser);
      await api.register(tasksRoutes, { tasks, exports });
      await api.register(listsRoutes, { lists, tasks });
      await api.register(labelsRoutes, { labels });
      await api.register(commentsRoutes, { comments });
      await api.register(remindersRoutes, { reminders: reminderScheduler });
      await api.register(attachmentsRoutes, { attachments, uploadBytes: config.bounds.uploadBytes });
      await api.register(conversationsRoutes, { conversations, exports, search: new ConversationSearch(orm.em, config.bounds.statementTimeoutMs, searches) });
      await api.register(chatRoutes, { chat, messages: budgets?.messages });
      await api.register(chatUiRoutes, { chat, replies: replyTap, messages: budgets?.messages });
    },
    { prefix: '/api' },
  );
  // The Phase II/III clients put the user id in the path; it must be the token's own.
  await app.register(
    async (alias) => {
      alias.addHook('onRequest', requireUser(tokens));
      registerInFlightLimit(alias, config.limits?.requestsPerUser);
      alias.addHook('onRequest', async (request) => {
        if ((request.params as { user_id?: string }).user_id !== request.userId) {
          throw new AppError('FORBIDDEN', 'This path names another user');
        }
      });
      // In the OpenAPI document as deprecated, each with the path's user_id and the 403 it can answer.
      alias.addHook('onRoute', (route) => {
        if (!route.schema) return;
        const params = (route.schema.params as z.ZodObject | undefined) ?? z.object({});
        route.schema = {
          ...route.schema,
          hide: false,
          deprecated: true,
          tags: ['compatibility'],
          params: params.extend({ user_id: z.string().max(100).describe('Your own user id (the token’s); any other is 403') }),
          response: { ...(route.schema.response as object), 403: errorResponse },
        };
      });
      await alias.register(tasksRoutes, { tasks, exports, alias: true });
      await alias.register(chatRoutes, { chat, messages: budgets?.messages, alias: true });
    },
    { prefix: '/api/:user_id' },
  );

  const wildcard = ['0.0.0.0', '::', '[::]'].includes(config.host);
  await app.register(mcpRoutes, {
    tokens,
    tasks,
    comments,
    reminders: reminderScheduler,
    messages: budgets?.messages,
    hostnames: [...new Set(['localhost', '127.0.0.1', '[::1]', ...(wildcard ? [] : [config.host.toLowerCase()]), ...config.allowedHosts])],
    origins: config.corsOrigins,
    publicUrl: config.publicUrl,
  });

  if (metrics && config.metricsToken) registerMetrics(app, metrics, config.metricsToken);
  await registerClientDemo(app);
  // Due reminders are pushed every second; the first round (with those whose time passed while nothing ran, late) waits for tabs to reconnect.
  if (overrides.reminderPollMs !== 0) reminderScheduler.start(overrides.reminderPollMs ?? 1_000, overrides.reminderPollMs ?? 5_000);
  app.addHook('preClose', () => reminderScheduler.stop());
  return app;
}
