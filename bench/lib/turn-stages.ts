// Inside a bench server: where each turn's time went (taskstream's turn-stage channel) and the GC
// pauses meanwhile, kept from a `reset` message of the bench to a `report` one (over IPC).
import { subscribe } from 'node:diagnostics_channel';
import { PerformanceObserver } from 'node:perf_hooks';
import { type TurnStage, type TurnStageEvent, turnStages } from '../../src/assistant/turn-stages.ts';
import { percentile, round } from './stats.ts';

/** Each stage's time is from the stage before it; `total` is from the message's arrival to its reply's first delta. */
const stages: TurnStage[] = ['received', 'stored', 'dequeued', 'leased', 'context', 'first_delta'];

// A type, not an interface, so that it is a record of numbers for medianRun.
export type StageFigures = {
  p50_ms: number;
  p99_ms: number;
  /** Its mean in the slowest 1% of turns (by total): what the tail is made of. */
  tail_mean_ms: number;
};

export interface TurnStagesReport {
  turns: number;
  stages: Record<string, StageFigures>;
  gc: { pauses: number; total_ms: number; p99_ms: number; max_ms: number };
}

function summarize(turns: Map<string, Partial<Record<TurnStage, number>>>, gc: number[]): TurnStagesReport {
  const complete = [...turns.values()].filter((turn) => stages.every((stage) => turn[stage] !== undefined)) as Record<TurnStage, number>[];
  const spans = complete.map((turn) => {
    const span: Record<string, number> = { total: turn.first_delta - turn.received };
    for (let i = 1; i < stages.length; i++) span[stages[i]!] = turn[stages[i]!] - turn[stages[i - 1]!];
    return span;
  });
  const slowest = [...spans].sort((a, b) => b.total! - a.total!).slice(0, Math.max(1, Math.ceil(spans.length / 100)));
  const names = ['total', ...stages.slice(1)];
  return {
    turns: spans.length,
    stages: Object.fromEntries(
      names.map((name) => {
        const values = spans.map((span) => span[name]!);
        const tail = slowest.reduce((sum, span) => sum + span[name]!, 0) / slowest.length;
        return [name, { p50_ms: round(percentile(values, 50), 2), p99_ms: round(percentile(values, 99), 2), tail_mean_ms: round(tail, 2) }];
      }),
    ),
    gc: { pauses: gc.length, total_ms: round(gc.reduce((a, b) => a + b, 0)), p99_ms: round(percentile(gc, 99), 2), max_ms: round(Math.max(0, ...gc), 2) },
  };
}

export function reportTurnStagesOnRequest(): void {
  if (!process.send) return;
  let turns = new Map<string, Partial<Record<TurnStage, number>>>();
  let gc: number[] = [];
  subscribe(turnStages.name, (message) => {
    const { replyId, stage, at } = message as TurnStageEvent;
    const turn = turns.get(replyId) ?? {};
    turn[stage] = at;
    turns.set(replyId, turn);
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (request) => {
    if (request === 'reset') {
      turns = new Map();
      gc = [];
    } else if (request === 'report') {
      process.send!(summarize(turns, gc));
    }
  });
}
