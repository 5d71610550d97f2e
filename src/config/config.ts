// The environment, parsed once with zod into a frozen Config that the rest of the app is handed.
import { z } from 'zod';

const duration = z
  .string()
  .regex(/^\d+\s*(ms|s|m|h|d)$/, 'a duration such as 15m, 30d, 3600s')
  .transform((value) => {
    const [, amount, unit] = /^(\d+)\s*(ms|s|m|h|d)$/.exec(value)!;
    const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'ms'];
    return Number(amount) * factor;
  });

/** `max/duration`: at most `max` in each window of that length, e.g. `10/15m`. */
const window = z
  .string()
  .regex(/^\d+\/\d+(ms|s|m|h|d)$/, 'a limit such as 10/15m (at most 10 in each 15 minutes)')
  .transform((value) => {
    const [max, per] = value.split('/') as [string, string];
    return { max: Number(max), windowMs: duration.parse(per) };
  })
  .refine((limit) => limit.max > 0 && limit.windowMs > 0, 'must allow at least 1 in a window longer than 0');

/** `burst:perSecond`: a token bucket, e.g. `10:1` (10 at once, then 1 a second). */
const bucket = z
  .string()
  .regex(/^\d+:\d+(\.\d+)?$/, 'a budget such as 10:1 (10 at once, then 1 a second)')
  .transform((value) => {
    const [burst, perSecond] = value.split(':').map(Number) as [number, number];
    return { burst, perSecond };
  })
  .refine((budget) => budget.burst >= 1 && budget.perSecond > 0, 'needs a burst of at least 1 and a positive rate');

/** A size in bytes: `10MB`, `512KB`, `1GB` (powers of 1024) or a bare number of bytes. */
const bytes = z
  .string()
  .regex(/^\d+\s*(B|KB|MB|GB)?$/i, 'a size such as 10MB, 512KB or 1048576')
  .transform((value) => {
    const [, amount, unit = 'B'] = /^(\d+)\s*(B|KB|MB|GB)?$/i.exec(value)!;
    return Number(amount) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf(unit.toUpperCase());
  })
  .refine((size) => size >= 1, 'must be at least 1 byte');

const onOff = z.enum(['on', 'off']).transform((value) => value === 'on');

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    REDIS_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^rediss?$/ }).optional()),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
    JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    ACCESS_TOKEN_TTL: duration.default(15 * 60_000),
    REFRESH_TOKEN_TTL: duration.default(30 * 86_400_000),
    OPENAI_API_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
    OPENAI_BASE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    ASSISTANT: z.preprocess(emptyToUndefined, z.enum(['openai', 'offline']).optional()),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
    RATE_LIMITS: onOff.default(true),
    ASSISTANT_STREAM_DELAY_MS: z.coerce.number().int().min(0).max(5_000).default(15),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_REQUESTS: onOff.default(false),
    TRUST_PROXY: onOff.default(false),
    ALLOWED_HOSTS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((host) => host.trim().toLowerCase())
          .filter(Boolean),
      ),
    LIMIT_LOGIN_IP: window.prefault('20/1m'),
    LIMIT_LOGIN_EMAIL: window.prefault('10/15m'),
    LIMIT_SIGNUP_IP: window.prefault('20/1h'),
    LIMIT_REFRESH_IP: window.prefault('60/1m'),
    LIMIT_REST_USER: window.prefault('600/1m'),
    LIMIT_MESSAGES: bucket.prefault('10:1'),
    LIMIT_JOINS: bucket.prefault('30:5'),
    LIMIT_COMMANDS: bucket.prefault('30:10'),
    LIMIT_AUTH_FAILURES_IP: bucket.prefault('20:2'),
    LIMIT_REQUESTS_USER: z.coerce.number().int().min(1).max(1_000).default(8),
    LIMIT_SEARCHES_USER: z.coerce.number().int().min(1).max(100).default(2),
    LIMIT_EXPORTS_USER: z.coerce.number().int().min(1).max(100).default(1),
    LIMIT_TASKS_USER: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
    STATEMENT_TIMEOUT: duration.default(5_000).refine((ms) => ms >= 100, 'must be at least 100ms'),
    LIMIT_UPLOAD: bytes.prefault('10MB'),
    LIMIT_STORAGE_USER: bytes.prefault('100MB'),
    REMOVED_FILES_KEPT: duration.default(7 * 86_400_000),
    REQUEST_TIMEOUT: duration.default(30_000).refine((ms) => ms >= 1_000, 'must be at least 1s'),
    PUBLIC_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
    LIMIT_SOCKETS_USER: z.coerce.number().int().min(1).max(10_000).default(20),
    LIMIT_REPLIES_USER: z.coerce.number().int().min(1).max(1_000).default(3),
    REPLY_MAX_TOKENS: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
    REPLY_TIMEOUT: duration.default(120_000),
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if (env.ASSISTANT === 'openai' && !env.OPENAI_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['OPENAI_API_KEY'], message: 'is required when ASSISTANT=openai' });
    }
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** Socket.IO rooms across instances through this Redis server (the Redis Streams adapter) instead of PostgreSQL. */
  redisUrl: string | undefined;
  dataDir: string;
  /** Undefined until the server has generated or loaded the development secret (see server.ts). */
  jwtSecret: string | undefined;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  openai: { apiKey: string | undefined; baseUrl: string | undefined; model: string };
  assistant: 'openai' | 'offline';
  corsOrigins: string[];
  /** Every rate limit and per-user cap; null when RATE_LIMITS=off. */
  limits: Limits | null;
  /** Caps of every reply, whatever RATE_LIMITS says: model tokens (openai) and total time. */
  reply: { maxTokens: number; timeoutMs: number };
  assistantStreamDelayMs: number;
  logLevel: string;
  /** A line per request at info (else at debug). */
  logRequests: boolean;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Host names (besides loopback and HOST) that /mcp answers to: the public names behind a proxy. */
  allowedHosts: string[];
  /** This server's public origin (PUBLIC_URL, else http://HOST:PORT): what it names itself in metadata. */
  publicUrl: string;
  /** The caps every request has, whatever RATE_LIMITS says. */
  bounds: Bounds;
  /** GET /metrics answers this bearer token only; no route without one. */
  metricsToken: string | undefined;
}

export interface Bounds {
  /** Tasks one user may have (QUOTA_EXCEEDED past it). */
  tasksPerUser: number;
  /** PostgreSQL cancels a search or export statement after this long. */
  statementTimeoutMs: number;
  /** A request must arrive whole (headers and body) within this long; its headers within 10 s. */
  requestTimeoutMs: number;
  /** The largest file one upload may carry (413 past it). */
  uploadBytes: number;
  /** Bytes one user's files may take together (QUOTA_EXCEEDED past it). */
  storagePerUser: number;
  /** How long a removed file (alone or with its task) is kept so that an undo can bring it back. */
  removedFilesKeptMs: number;
}

export interface WindowLimit {
  max: number;
  windowMs: number;
}

export interface BucketLimit {
  burst: number;
  perSecond: number;
}

export interface Limits {
  loginPerIp: WindowLimit;
  loginPerEmail: WindowLimit;
  signupPerIp: WindowLimit;
  refreshPerIp: WindowLimit;
  restPerUser: WindowLimit;
  /** message:send, POST /api/chat and MCP tool calls of one user. */
  messages: BucketLimit;
  joins: BucketLimit;
  /** assistant:stop, conversation:leave and tool:approve of one user. */
  commands: BucketLimit;
  /** Failed authentications per client address (REST, Socket.IO handshakes, MCP); when spent, tokens are not even looked up. */
  authFailuresPerIp: BucketLimit;
  /** REST requests of one user in progress at once: no user can hold the database pool. */
  requestsPerUser: number;
  searchesPerUser: number;
  exportsPerUser: number;
  socketsPerUser: number;
  repliesPerUser: number;
}

export class ConfigError extends Error {}

/** Parses an environment (process.env by default) or throws a ConfigError whose message is one line. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    dataDir: env.DATA_DIR,
    jwtSecret: env.JWT_SECRET,
    accessTokenTtlMs: env.ACCESS_TOKEN_TTL,
    refreshTokenTtlMs: env.REFRESH_TOKEN_TTL,
    openai: Object.freeze({ apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL }),
    assistant: env.ASSISTANT ?? (env.OPENAI_API_KEY ? 'openai' : 'offline'),
    corsOrigins: env.CORS_ORIGINS,
    limits: env.RATE_LIMITS
      ? Object.freeze({
          loginPerIp: env.LIMIT_LOGIN_IP,
          loginPerEmail: env.LIMIT_LOGIN_EMAIL,
          signupPerIp: env.LIMIT_SIGNUP_IP,
          refreshPerIp: env.LIMIT_REFRESH_IP,
          restPerUser: env.LIMIT_REST_USER,
          messages: env.LIMIT_MESSAGES,
          joins: env.LIMIT_JOINS,
          commands: env.LIMIT_COMMANDS,
          authFailuresPerIp: env.LIMIT_AUTH_FAILURES_IP,
          requestsPerUser: env.LIMIT_REQUESTS_USER,
          searchesPerUser: env.LIMIT_SEARCHES_USER,
          exportsPerUser: env.LIMIT_EXPORTS_USER,
          socketsPerUser: env.LIMIT_SOCKETS_USER,
          repliesPerUser: env.LIMIT_REPLIES_USER,
        })
      : null,
    reply: Object.freeze({ maxTokens: env.REPLY_MAX_TOKENS, timeoutMs: env.REPLY_TIMEOUT }),
    assistantStreamDelayMs: env.ASSISTANT_STREAM_DELAY_MS,
    logLevel: env.LOG_LEVEL,
    logRequests: env.LOG_REQUESTS,
    trustProxy: env.TRUST_PROXY,
    allowedHosts: env.ALLOWED_HOSTS,
    publicUrl: (env.PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`).replace(/\/+$/, ''),
    metricsToken: env.METRICS_TOKEN,
    bounds: Object.freeze({
      tasksPerUser: env.LIMIT_TASKS_USER,
      statementTimeoutMs: env.STATEMENT_TIMEOUT,
      requestTimeoutMs: env.REQUEST_TIMEOUT,
      uploadBytes: env.LIMIT_UPLOAD,
      storagePerUser: env.LIMIT_STORAGE_USER,
      removedFilesKeptMs: env.REMOVED_FILES_KEPT,
    }),
  });
}
