// `npm run eval:assistant`: how well the offline assistant understands the corpus, per split, and how
// long understanding takes. Only the tuning split's misses are listed; the held-out split is a figure.
import { performance } from 'node:perf_hooks';
import { understand } from '../src/assistant/providers/offline/intents/index.ts';
import { corpus, now, timeZone } from '../test/assistant/understanding/corpus.ts';
import { passes } from '../test/assistant/understanding/evaluate.ts';

const results = corpus.map((testCase) => ({ testCase, heldOut: testCase.heldOut, ...passes(testCase) }));
const figure = (heldOut: boolean) => {
  const split = results.filter((result) => result.heldOut === heldOut);
  const right = split.filter((result) => result.ok).length;
  return `${right}/${split.length} (${((100 * right) / split.length).toFixed(1)}%)`;
};

for (const miss of results.filter((result) => !result.heldOut && !result.ok)) {
  console.log(`miss: ${JSON.stringify(miss.testCase.text)}\n  want ${JSON.stringify(miss.testCase.calls)}\n  got  ${JSON.stringify(miss.got)}`);
}
const timings = corpus.map(({ text }) => {
  const start = performance.now();
  understand(text, { now, timeZone });
  return performance.now() - start;
});
timings.sort((a, b) => a - b);
console.log(`corpus: ${corpus.length} requests`);
console.log(`tuning split: ${figure(false)}`);
console.log(`held-out split: ${figure(true)}`);
console.log(`understanding time: median ${timings[Math.floor(timings.length / 2)]!.toFixed(2)} ms, max ${timings.at(-1)!.toFixed(2)} ms`);
