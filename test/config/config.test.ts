import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: '.data',
      accessTokenTtlMs: 15 * 60_000,
      refreshTokenTtlMs: 30 * 86_400_000,
      assistant: 'offline',
      reply: { maxTokens: 2_000, timeoutMs: 120_000 },
      assistantStreamDelayMs: 15,
      corsOrigins: [],
      trustProxy: false,
    });
    expect(config.openai.model).toBe('gpt-4o-mini');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('picks the openai assistant when a key is set, unless ASSISTANT forces one', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).assistant).toBe('openai');
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', ASSISTANT: 'offline' }).assistant).toBe('offline');
  });

  it('parses durations, lists and switches', () => {
    const config = loadConfig({ ACCESS_TOKEN_TTL: '90s', REFRESH_TOKEN_TTL: '2h', CORS_ORIGINS: 'http://a.test, http://b.test', RATE_LIMITS: 'off' });
    expect(config.accessTokenTtlMs).toBe(90_000);
    expect(config.refreshTokenTtlMs).toBe(7_200_000);
    expect(config.corsOrigins).toEqual(['http://a.test', 'http://b.test']);
    expect(config.limits).toBeNull();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ACCESS_TOKEN_TTL: 'soon' }, 'ACCESS_TOKEN_TTL'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ ASSISTANT: 'openai' }, 'OPENAI_API_KEY'],
    [{ RATE_LIMITS: 'maybe' }, 'RATE_LIMITS'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
  ])('rejects %o with one line naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
