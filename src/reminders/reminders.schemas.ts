// Reminders as the API takes and gives them.
import { z } from 'zod';
import { isoDate, uuid } from '../shared/schemas.ts';

export const reminderDto = z.object({
  id: z.uuid(),
  at: z.string().nullable().describe('The instant it was set for; null for one relative to the due date'),
  before_minutes: z.number().int().nullable().describe('Minutes before the due date; it moves with the due date'),
  fires_at: z.string(),
  fired_at: z.string().nullable(),
});
export type ReminderDto = z.infer<typeof reminderDto>;

const beforeMinutes = z.number().int().min(0).max(525_600).describe('Minutes before the due date (at most a year)');

/** At an instant (ISO 8601; without an offset, read in your zone), or some minutes before the due date. */
export const reminderBody = z.union([z.object({ at: isoDate }).strict(), z.object({ before_minutes: beforeMinutes }).strict()], {
  error: 'give at (an instant) or before_minutes (before the due date)',
});
export type ReminderBody = z.output<typeof reminderBody>;

export const snoozeBody = z.object({ minutes: z.number().int().min(1).max(10_080).describe('From now, at most a week') });
export const reminderIdParams = z.object({ id: uuid });
