// Which task a few words of its title mean: words compared by their stems ("booking" finds "Book
// flights"), the task sharing the most of them wins, and a tie is a question, never a guess.
import { stopWords } from './words.ts';

export interface NamedTask {
  number: number;
  title: string;
  status: string;
}

/** A word reduced to what its inflections share: "flights" → "flight", "booking" → "book". */
function stem(word: string): string {
  return word
    .toLowerCase()
    .replace(/'s$/, '')
    .replace(/(ing|ed|es|s)$/, '')
    .replace(/(.)\1$/, '$1');
}

export const phraseWords = (phrase: string) =>
  phrase
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^a-z0-9@&+-]+/)
    .filter((word) => word && !stopWords.has(word));

const sameWord = (a: string, b: string) => a === b || (a.length >= 4 && b.length >= 4 && (a.startsWith(b) || b.startsWith(a)));

/** The tasks a phrase most likely means: one when it is clear, several when they tie, none when nothing fits. */
export function matchTasks<T extends NamedTask>(phrase: string, tasks: T[]): T[] {
  const wanted = phraseWords(phrase).map(stem);
  if (wanted.length === 0) return [];
  const exact = tasks.filter((task) => task.title.toLowerCase() === phrase.toLowerCase());
  if (exact.length > 0) return exact;
  let best: T[] = [];
  let bestScore = 0;
  for (const task of tasks) {
    const words = phraseWords(task.title).map(stem);
    const score = wanted.filter((word) => words.some((other) => sameWord(word, other))).length;
    if (score > bestScore) {
      best = [task];
      bestScore = score;
    } else if (score === bestScore && score > 0) best.push(task);
  }
  return best;
}
