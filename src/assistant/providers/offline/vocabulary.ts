// Words the offline assistant reads as numbers, and words that never name a task.

export const numberWords: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};

export const stopWords = new Set(
  'a an the my our your this that these those task tasks todo todos to-do item items one reminder reminders list please for from on of in with about thing called named titled entry'.split(
    ' ',
  ),
);
