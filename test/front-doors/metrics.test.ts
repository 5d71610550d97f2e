// GET /metrics scraped while replies stream: the counters move, the histograms fill, refusals are
// counted by budget; only with METRICS_TOKEN, and no route at all without one.
import { describe, expect, it } from 'vitest';
import { call, signup, testApp } from '../helpers/app.ts';
import { connect, listeningApp, sendMessage, waitFor } from '../helpers/socket.ts';

const token = 'metrics-token-0123456789';
/** A metric's value in Prometheus text (the first series matching the name and labels). */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.split(' ').at(-1)) : undefined;
};

describe('metrics', () => {
  const suite = listeningApp({ METRICS_TOKEN: token, RATE_LIMITS: 'on', LIMIT_MESSAGES: '3:0.001' }, { reminderPollMs: 0 });
  const scrape = async () => {
    const res = await suite.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('answers only the token, and moves while replies stream', async () => {
    expect((await suite.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await suite.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-000000000' } })).statusCode).toBe(401);
    const before = await scrape();
    expect(before).toContain('nodejs_eventloop_lag_seconds');
    expect(before).toContain('process_resident_memory_bytes');
    const user = await signup(suite.app);
    const tab = await connect(suite.url, user.accessToken);
    try {
      expect(value(await scrape(), 'taskstream_sockets')).toBeGreaterThanOrEqual(1);
      const done = waitFor(tab, 'assistant:done');
      await sendMessage(tab, 'add buy milk and call the bank');
      await done;
      const after = await scrape();
      // The offline assistant streams its words at once here: they go as one delta or two (a window apart).
      expect(value(after, 'taskstream_deltas_sent_total')! - (value(before, 'taskstream_deltas_sent_total') ?? 0)).toBeGreaterThanOrEqual(1);
      expect(value(after, 'taskstream_turn_stage_seconds_count{stage="first_delta"}')).toBeGreaterThanOrEqual(1);
      expect(value(after, 'taskstream_provider_first_token_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(value(after, 'taskstream_replies_generating')).toBe(0);
      expect(value(after, 'taskstream_db_pool_waiting')).toBe(0);
      expect(value(after, 'taskstream_db_pool_in_use')).toBeGreaterThanOrEqual(0);

      // The message budget (3 at once) refuses the fourth: counted by its name.
      for (let index = 0; index < 3; index++) await tab.emitWithAck('message:send', { content: 'hi', clientId: crypto.randomUUID() });
      const refused = await tab.emitWithAck('message:send', { content: 'hi', clientId: crypto.randomUUID() });
      expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect(value(await scrape(), 'taskstream_rate_limited_total{budget="messages"}')).toBeGreaterThanOrEqual(1);

      const task = (await call(suite.app, user, 'POST', '/api/tasks', { title: 'Remind me' })).body.task;
      await call(suite.app, user, 'POST', `/api/tasks/${task.id}/reminders`, { at: new Date(Date.now() - 1_000).toISOString() });
      await suite.app.reminders.tick();
      expect(value(await scrape(), 'taskstream_reminders_fired_total')).toBeGreaterThanOrEqual(1);
    } finally {
      tab.disconnect();
    }
  });
});

describe('metrics without a token', () => {
  const suite = testApp();
  it('has no route', async () => {
    expect((await suite.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(404);
  });
});
