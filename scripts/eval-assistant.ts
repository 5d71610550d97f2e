// `npm run eval:assistant`: how well the offline assistant understands the single-request corpus and
// the conversations, per split, and how long understanding takes. Only the tuning splits' misses are
// listed; the held-out splits are figures.
import { performance } from 'node:perf_hooks';
import { understand } from '../src/assistant/providers/offline/intents/index.ts';
import { conversations } from '../test/assistant/understanding/conversations.ts';
import { corpus, now, timeZone } from '../test/assistant/understanding/corpus.ts';
import { conversationPasses, passes } from '../test/assistant/understanding/evaluate.ts';

/** "right/all (percent)" of the results in one split. */
const figure = (results: { heldOut: boolean; ok: boolean }[], heldOut: boolean) => {
  const split = results.filter((result) => result.heldOut === heldOut);
  const right = split.filter((result) => result.ok).length;
  return `${right}/${split.length} (${((100 * right) / split.length).toFixed(1)}%)`;
};

const results = corpus.map((testCase) => ({ testCase, heldOut: testCase.heldOut, ...passes(testCase) }));
for (const miss of results.filter((result) => !result.heldOut && !result.ok)) {
  console.log(`miss: ${JSON.stringify(miss.testCase.text)}\n  want ${JSON.stringify(miss.testCase.calls)}\n  got  ${JSON.stringify(miss.got)}`);
}
const talks = conversations.map((conversation) => ({ conversation, heldOut: conversation.heldOut, ...conversationPasses(conversation) }));
for (const miss of talks.filter((result) => !result.heldOut && !result.ok)) {
  const { turns } = miss.conversation;
  console.log(
    `miss: ${turns.map((turn) => JSON.stringify(turn.text)).join(' → ')} at turn ${miss.turn! + 1}\n  want ${JSON.stringify(turns[miss.turn!]!.calls)}\n  got  ${JSON.stringify(miss.got)}`,
  );
}
const timings = corpus.map(({ text }) => {
  const start = performance.now();
  understand(text, { now, timeZone });
  return performance.now() - start;
});
timings.sort((a, b) => a - b);
const turnCount = conversations.reduce((sum, conversation) => sum + conversation.turns.length, 0);
console.log(`requests: ${corpus.length}; tuning split ${figure(results, false)}, held-out split ${figure(results, true)}`);
console.log(`conversations: ${conversations.length} (${turnCount} turns); tuning split ${figure(talks, false)}, held-out split ${figure(talks, true)}`);
console.log(`understanding time: median ${timings[Math.floor(timings.length / 2)]!.toFixed(2)} ms, max ${timings.at(-1)!.toFixed(2)} ms`);
