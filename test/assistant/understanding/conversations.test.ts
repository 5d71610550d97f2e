import { describe, expect, it } from 'vitest';
import { conversations } from './conversations.ts';
import { conversationPasses, runConversation } from './evaluate.ts';

const tuning = conversations.filter((conversation) => !conversation.heldOut);
const heldOut = conversations.filter((conversation) => conversation.heldOut);
const title = (conversation: (typeof conversations)[number]) => conversation.turns.map((turn) => turn.text).join(' → ');

describe('offline understanding: conversations that refer to what came before', () => {
  it('has at least 150 conversations of two to four turns, at least 30 of them held out', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(150);
    expect(heldOut.length).toBeGreaterThanOrEqual(30);
    for (const conversation of conversations) expect(conversation.turns.length, title(conversation)).toSatisfy((length: number) => length >= 2 && length <= 4);
  });

  it.each(tuning.map((conversation) => [title(conversation), conversation]))('%s', (_, conversation) => {
    const { ok, turn, got } = conversationPasses(conversation);
    expect(ok, `turn ${turn! + 1} got ${JSON.stringify(got)}, wanted ${JSON.stringify(conversation.turns[turn!]?.calls)}`).toBe(true);
  });

  it('understands at least 90% of the held-out conversations', () => {
    const right = heldOut.filter((conversation) => conversationPasses(conversation).ok).length;
    expect(right / heldOut.length).toBeGreaterThanOrEqual(0.9);
  });

  it('says what it took back and what it did instead when corrected', () => {
    const [, , corrected] = runConversation(['complete the report', 'the first', 'no, the other one']);
    expect(corrected!.reply).toBe('Okay, I took that back.\nNice work! I marked task #9 "Finish the quarterly report" as complete.');
  });

  it('asks rather than guesses when "it" could be several tasks, or a place is past the end of the list', () => {
    expect(runConversation(['add milk and eggs', 'make it urgent'])[1]).toEqual({
      calls: [],
      reply: 'Which task do you mean? Tell me its number or a few words of its title.',
    });
    expect(runConversation(['list my high priority tasks', 'complete the fifth one'])[1]).toEqual({
      calls: [],
      reply: 'There were only 2 tasks. Which one do you mean?',
    });
  });

  it('leaves an answer alone once the user moved on: a question is open for one turn', () => {
    const turns = runConversation(['complete the report', 'show my tasks', 'the first']);
    expect(turns[2]!.calls).toEqual([]);
  });
});
