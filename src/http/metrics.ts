// GET /metrics: Prometheus text format (prom-client), answered only with the bearer METRICS_TOKEN
// (404 when unset). Process metrics and event-loop lag; sockets, rooms, replies generating and
// queued; deltas sent; turn stages and the provider's first-token latency; provider errors;
// rate-limit refusals by budget; reminders pushed; the database pool. What is counted on the hot
// path is counted once a reply ends (its deltas), never once per delta.
import { timingSafeEqual } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import client from 'prom-client';
import type { ReplyEventSink } from '../assistant/chat.types.ts';
import { type TurnStageEvent, turnStages } from '../assistant/turn-stages.ts';
import type { AppServer } from '../realtime/socket-types.ts';
import { AppError, rateLimitedChannel } from '../shared/errors.ts';

export interface MetricsSources {
  io: AppServer;
  replyCounts(): { generating: number; queued: number };
  pool(): Promise<Pool>;
}

/** Seconds, from a millisecond to the reply timeout's order: turn stages and provider latency. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Metrics {
  readonly registry = new client.Registry();
  private readonly deltas = this.counter('taskstream_deltas_sent_total', 'assistant:delta events sent (counted as each reply ends)');
  private readonly providerErrors = this.counter('taskstream_provider_errors_total', 'Replies ended by the provider failing, by code', 'code');
  private readonly rateLimited = this.counter('taskstream_rate_limited_total', 'Requests and events refused RATE_LIMITED, by budget', 'budget');
  private readonly reminders = this.counter('taskstream_reminders_fired_total', 'Reminders pushed by this instance');
  private readonly stages = new client.Histogram({
    name: 'taskstream_turn_stage_seconds',
    help: 'Time from a message arriving to each stage of its turn (stored, dequeued, leased, context, first_delta)',
    labelNames: ['stage'],
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  private readonly firstToken = new client.Histogram({
    name: 'taskstream_provider_first_token_seconds',
    help: 'Time from the context being read to the provider’s first text (the model’s latency)',
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  /** Each turn's moments so far, by reply, until its first delta. */
  private readonly turns = new Map<string, Partial<Record<TurnStageEvent['stage'], number>>>();
  private readonly onStage = (event: unknown) => this.stage(event as TurnStageEvent);
  private readonly onRateLimited = (event: unknown) => this.rateLimited.inc({ budget: (event as { budget: string }).budget });

  constructor(sources: MetricsSources) {
    client.collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
      new client.Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(await read());
        },
      });
    gauge('taskstream_sockets', 'Sockets connected to this instance', () => sources.io.engine.clientsCount);
    gauge('taskstream_rooms', 'Socket.IO rooms on this instance', () => sources.io.of('/').adapter.rooms.size);
    gauge('taskstream_replies_generating', 'Replies at the head of their conversation on this instance', () => sources.replyCounts().generating);
    gauge('taskstream_replies_queued', 'Replies waiting behind another of their conversation', () => sources.replyCounts().queued);
    gauge('taskstream_db_pool_in_use', 'Database connections checked out of the pool', async () => {
      const pool = await sources.pool();
      return pool.totalCount - pool.idleCount;
    });
    gauge('taskstream_db_pool_waiting', 'Queries waiting for a database connection', async () => (await sources.pool()).waitingCount);
    subscribe(turnStages.name, this.onStage);
    subscribe(rateLimitedChannel.name, this.onRateLimited);
  }

  private counter<Label extends string>(name: string, help: string, ...labelNames: Label[]): client.Counter<Label> {
    return new client.Counter({ name, help, labelNames, registers: [this.registry] });
  }

  close(): void {
    unsubscribe(turnStages.name, this.onStage);
    unsubscribe(rateLimitedChannel.name, this.onRateLimited);
  }

  /** The replies' sink, counting each reply's deltas when it ends and the provider's failures. */
  instrument(sink: ReplyEventSink): ReplyEventSink {
    const streaming = new Map<string, { seq: number }>();
    const ended = (conversationId: string) => {
      const reply = streaming.get(conversationId);
      if (reply) this.deltas.inc(reply.seq);
      streaming.delete(conversationId);
    };
    return {
      ...sink,
      replyDeltas: (reply) => {
        streaming.set(reply.conversationId, reply);
        return sink.replyDeltas(reply);
      },
      replyDone: (conversationId, message) => {
        ended(conversationId);
        sink.replyDone(conversationId, message);
      },
      replyError: (conversationId, messageId, error) => {
        ended(conversationId);
        if (error.code.startsWith('PROVIDER_')) this.providerErrors.inc({ code: error.code });
        sink.replyError(conversationId, messageId, error);
      },
    };
  }

  remindersFired(count: number): void {
    this.reminders.inc(count);
  }

  private stage({ replyId, stage, at }: TurnStageEvent): void {
    const turn = this.turns.get(replyId) ?? {};
    turn[stage] = at;
    if (stage === 'received') {
      // A turn that never reaches its first delta (stopped, tool calls only) is forgotten after 10,000 others.
      if (this.turns.size >= 10_000) this.turns.delete(this.turns.keys().next().value!);
      this.turns.set(replyId, turn);
      return;
    }
    if (turn.received === undefined) return;
    this.stages.observe({ stage }, (at - turn.received) / 1000);
    if (stage === 'first_delta') {
      if (turn.context !== undefined) this.firstToken.observe((at - turn.context) / 1000);
      this.turns.delete(replyId);
    }
  }
}

/** GET /metrics for whoever holds METRICS_TOKEN; the route does not exist without one. */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, token: string): void {
  const expected = Buffer.from(`Bearer ${token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('UNAUTHORIZED', 'The metrics token is required');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
