// What a request says about a task's fields besides its title: priorities, absolute or relative.
import type { TaskPriority } from '../../../db/entities/index.ts';

const priorityPatterns: [RegExp, TaskPriority][] = [
  [/\b(urgent(ly)?|asap|critical|top priority|immediately|right away)\b/i, 'urgent'],
  [/\b(high[- ]priority|priority high|important)\b/i, 'high'],
  [/\b(low[- ]priority|priority low|not (urgent|important)|whenever|someday)\b/i, 'low'],
  [/\b(medium|normal)([- ]priority)?\b/i, 'medium'],
];

export const findPriority = (text: string): TaskPriority | undefined =>
  /\b(less|more)\s+(important|urgent)\b/i.test(text) ? undefined : priorityPatterns.find(([pattern]) => pattern.test(text))?.[1];

/** A priority phrase taken out of a would-be title ("buy milk, it's urgent" → "buy milk"). */
export const stripPriority = (text: string) =>
  text
    .replace(
      /[,(]?\s*\b(it'?s|it is|as|with|at|mark(ed)? (it )?as|make it|set to)?\s*(an?\s+)?(urgent(ly)?|asap|critical|top priority|high[- ]priority|low[- ]priority|important|not urgent|medium[- ]priority|normal[- ]priority)\b(\s+priority)?\s*[)]?/gi,
      ' ',
    )
    .replace(/^\s*(low|high|normal|medium)\s+priority\b|\s+(priority)\b/gi, ' ')
    .trim();

/** A relative change of priority: one step down (−1) or up (+1), or none. */
export const priorityShift = (text: string): 1 | -1 | undefined =>
  /\b(lower|decrease|reduce|downgrade|deprioriti[sz]e|demote|less (important|urgent))\b/i.test(text)
    ? -1
    : /\b(raise|increase|upgrade|prioriti[sz]e|promote|escalate|bump|more (important|urgent))\b/i.test(text)
      ? 1
      : undefined;
