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

const onOff = z.enum(['on', 'off']).transform((value) => value === 'on');

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
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
      .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
    RATE_LIMITS: onOff.default(true),
    ASSISTANT_STREAM_DELAY_MS: z.coerce.number().int().min(0).max(5_000).default(15),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: onOff.default(false),
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
  dataDir: string;
  /** Undefined until the server has generated or loaded the development secret (see server.ts). */
  jwtSecret: string | undefined;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  openai: { apiKey: string | undefined; baseUrl: string | undefined; model: string };
  assistant: 'openai' | 'offline';
  corsOrigins: string[];
  rateLimits: boolean;
  assistantStreamDelayMs: number;
  logLevel: string;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
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
    dataDir: env.DATA_DIR,
    jwtSecret: env.JWT_SECRET,
    accessTokenTtlMs: env.ACCESS_TOKEN_TTL,
    refreshTokenTtlMs: env.REFRESH_TOKEN_TTL,
    openai: Object.freeze({ apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL }),
    assistant: env.ASSISTANT ?? (env.OPENAI_API_KEY ? 'openai' : 'offline'),
    corsOrigins: env.CORS_ORIGINS,
    rateLimits: env.RATE_LIMITS,
    assistantStreamDelayMs: env.ASSISTANT_STREAM_DELAY_MS,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
  });
}
