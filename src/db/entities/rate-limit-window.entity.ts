import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** One fixed window of a rate limit that must hold across instances (login, signup, refresh). */
export const RateLimitWindow = defineEntity({
  name: 'RateLimitWindow',
  tableName: 'rate_limit_windows',
  properties: {
    key: p.string().length(320).primary(),
    hits: p.integer(),
    resetAt: p.datetime(3).index(),
  },
});
export type RateLimitWindow = InferEntity<typeof RateLimitWindow>;
