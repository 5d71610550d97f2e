// Where a turn's time goes, for whoever listens (the benchmark, a profiler): each stage a reply passes
// is published on a diagnostics channel with its moment. Nothing is built when no one subscribes.
import { channel } from 'node:diagnostics_channel';

/**
 * In order: the message arrived; it is stored with its reply's row (the ack goes out); the reply's
 * turn came (the conversation's earlier replies are done); the user's slot and the conversation's
 * lease are held; the history and the user's preferences are read; the first delta is emitted.
 */
export type TurnStage = 'received' | 'stored' | 'dequeued' | 'leased' | 'context' | 'first_delta';

export interface TurnStageEvent {
  replyId: string;
  stage: TurnStage;
  /** `performance.now()` at the stage. */
  at: number;
}

export const turnStages = channel('taskstream:turn-stage');

export function markStage(replyId: string, stage: TurnStage, at = performance.now()): void {
  if (turnStages.hasSubscribers) turnStages.publish({ replyId, stage, at } satisfies TurnStageEvent);
}
