// How people say a task repeats: "every monday", "every other week", "every weekday", "on the 1st of
// every month", "daily" → an RRULE, with the words that name its first day (so "gym every monday at
// 9" is due next Monday at 09:00) left in the text for the date reader.
import { DateTime } from 'luxon';
import type { Clock } from './when.ts';
import { numberWords } from './words.ts';

const weekdays: Record<string, string> = {
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
  sunday: 'SU',
};
const weekday = '(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?';
const dayName = (word: string) => Object.keys(weekdays).find((day) => day.startsWith(word.toLowerCase().slice(0, 3)))!;
const ordinal = /(\d{1,2})(?:st|nd|rd|th)?|(first|second|third|fourth|fifth|tenth|fifteenth|twentieth|last)/;
const ordinalWords: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, tenth: 10, fifteenth: 15, twentieth: 20, last: -1 };
const units: Record<string, string> = { day: 'DAILY', week: 'WEEKLY', month: 'MONTHLY', year: 'YEARLY' };

/** The next date (in the zone) whose day of month is `day` (-1: the last), as words the date reader takes. */
function nextMonthDay(day: number, clock: Clock): string {
  const today = DateTime.fromJSDate(clock.now, { zone: clock.timeZone }).startOf('day');
  for (let month = 0; month < 14; month++) {
    const candidate = today.plus({ months: month });
    const date = day === -1 ? candidate.endOf('month').startOf('day') : candidate.set({ day });
    if (date.day === (day === -1 ? date.daysInMonth : day) && date >= today) return date.toFormat('LLLL d');
  }
  return '';
}

interface Found {
  rule: string;
  /** Words to read the first occurrence from, in place of the repeat phrase ('' when it starts today). */
  anchor: string;
}

const patterns: [RegExp, (match: RegExpExecArray, clock: Clock) => Found][] = [
  [/\bevery (?:other|second) (week|month|day|year)\b/i, (m) => ({ rule: `FREQ=${units[m[1]!.toLowerCase()]};INTERVAL=2`, anchor: '' })],
  [
    /\b(?:every|each) (\d+|two|three|four|five|six) (day|week|month|year)s\b/i,
    (m) => ({ rule: `FREQ=${units[m[2]!.toLowerCase()]};INTERVAL=${/^\d+$/.test(m[1]!) ? m[1] : numberWords[m[1]!.toLowerCase()]}`, anchor: '' }),
  ],
  [/\b(?:every|each|on) (?:week ?day|work ?day)s?\b|\bweekdays\b/i, () => ({ rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', anchor: '' })],
  [
    new RegExp(
      `\\b(?:the )?(?:${ordinal.source})(?: day)? of (?:every|each) month\\b|\\b(?:every|each) month on the (?:${ordinal.source})\\b|\\bmonthly on the (?:${ordinal.source})\\b`,
      'i',
    ),
    (m, clock) => {
      const [number, word] = [m[1] ?? m[3] ?? m[5], m[2] ?? m[4] ?? m[6]];
      const day = number ? Number(number) : ordinalWords[word!.toLowerCase()]!;
      return { rule: `FREQ=MONTHLY;BYMONTHDAY=${day}`, anchor: nextMonthDay(day, clock) };
    },
  ],
  [
    new RegExp(`\\b(?:every|each|on) (${weekday}(?:(?:,\\s*|\\s+and\\s+)${weekday})*)\\b`, 'i'),
    (m) => {
      const days = m[1]!.split(/,\s*|\s+and\s+/).map(dayName);
      return { rule: `FREQ=WEEKLY;BYDAY=${days.map((day) => weekdays[day]).join(',')}`, anchor: days[0]! };
    },
  ],
  [/\b(?:every|each) (?:day|morning|evening|night)\b|\bdaily\b|\bnightly\b/i, () => ({ rule: 'FREQ=DAILY', anchor: '' })],
  [/\b(?:every|each) week\b|\bweekly\b/i, () => ({ rule: 'FREQ=WEEKLY', anchor: '' })],
  [/\b(?:every|each) month\b|\bmonthly\b/i, () => ({ rule: 'FREQ=MONTHLY', anchor: '' })],
  [/\b(?:every|each) year\b|\byearly\b|\bannually\b/i, () => ({ rule: 'FREQ=YEARLY', anchor: '' })],
];

/** The repeat a text asks for, and the text with the words of its first day in place of the repeat phrase; the text alone when it asks for none. */
export function extractRecurrence(text: string, clock: Clock): { rule?: string; rest: string; before?: string } {
  // "on mondays" repeats; "on monday" is one day.
  for (const [pattern, read] of patterns) {
    const match = pattern.exec(text);
    if (!match || (/^on /i.test(match[0]) && !/s$|weekday|work ?day/i.test(match[0]))) continue;
    const { rule, anchor } = read(match, clock);
    const before = text.slice(0, match.index);
    return { rule, before, rest: `${before} ${anchor} ${text.slice(match.index + match[0].length)}`.replace(/\s+/g, ' ').trim() };
  }
  return { rest: text };
}
