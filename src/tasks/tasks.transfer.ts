// Tasks out (JSON, CSV, iCalendar VTODOs) and in (JSON, CSV or iCalendar, each row or VTODO on its own).
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { DownloadFile } from '../http/downloads.ts';
import { needsZone, resolveDue } from '../shared/dates.ts';
import { AppError } from '../shared/errors.ts';
import { inputProblem, issueDetails } from '../shared/schemas.ts';
import { type TaskDto, type TaskInput, taskInput } from './tasks.schemas.ts';
import type { TasksService } from './tasks.service.ts';

export const exportFormats = ['json', 'csv', 'ics'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The columns of a CSV export, which an import reads back. */
const csvColumns = ['number', 'title', 'description', 'status', 'priority', 'due_date', 'completed_at', 'created_at'] as const;

/** RFC 5545 priorities: 1 is the highest, 9 the lowest. */
const icalPriority = { urgent: 1, high: 3, medium: 5, low: 9 } as const;
const icalStatus = { pending: 'NEEDS-ACTION', in_progress: 'IN-PROCESS', completed: 'COMPLETED' } as const;

const utc = (iso: string) => ICAL.Time.fromJSDate(new Date(iso), true);

/** One VTODO per task; DUE is a DATE for a calendar date and the local time with TZID (the user's zone) for an instant. */
function toVTodo(task: TaskDto, timeZone: string, stamp: ICAL.Time): string {
  const todo = new ICAL.Component('vtodo');
  todo.addPropertyWithValue('uid', `${task.id}@taskstream`);
  todo.addPropertyWithValue('dtstamp', stamp);
  todo.addPropertyWithValue('summary', task.title);
  if (task.description) todo.addPropertyWithValue('description', task.description);
  todo.addPropertyWithValue('status', icalStatus[task.status]);
  todo.addPropertyWithValue('priority', icalPriority[task.priority]);
  todo.addPropertyWithValue('created', utc(task.created_at));
  todo.addPropertyWithValue('last-modified', utc(task.updated_at));
  if (task.completed_at) todo.addPropertyWithValue('completed', utc(task.completed_at));
  if (task.due_date?.length === 10) todo.addPropertyWithValue('due', ICAL.Time.fromDateString(task.due_date));
  else if (task.due_date) {
    const local = DateTime.fromISO(task.due_date).setZone(timeZone);
    const due = todo.addPropertyWithValue('due', ICAL.Time.fromDateTimeString(local.toFormat("yyyy-LL-dd'T'HH:mm:ss")));
    if (timeZone !== 'UTC') due.setParameter('tzid', timeZone);
    else due.setValue(utc(task.due_date));
  }
  if (task.recurrence) {
    // RFC 5545 counts a rule from DTSTART: the due date, the first occurrence.
    const due = todo.getFirstProperty('due');
    if (due) {
      const start = todo.addPropertyWithValue('dtstart', due.getFirstValue() as ICAL.Time);
      const zone = due.getParameter('tzid');
      if (zone) start.setParameter('tzid', zone);
    }
    todo.addPropertyWithValue('rrule', ICAL.Recur.fromString(task.recurrence));
  }
  // A reminder not fired yet is an alarm: before the due date (a relative TRIGGER), or at its instant.
  for (const reminder of task.reminders.filter((candidate) => !candidate.fired_at)) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', task.title);
    if (reminder.before_minutes !== null) {
      const trigger = alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-reminder.before_minutes * 60));
      trigger.setParameter('related', 'END');
    } else alarm.addPropertyWithValue('trigger', utc(reminder.at!)).setParameter('value', 'DATE-TIME');
    todo.addSubcomponent(alarm);
  }
  return todo.toString();
}

async function* toICalendar(batches: AsyncIterable<TaskDto[]>, timeZone: string): AsyncGenerator<string> {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', '-//taskstream//tasks//EN');
  calendar.addPropertyWithValue('version', '2.0');
  const [head, tail] = calendar.toString().split(/(?=END:VCALENDAR$)/);
  yield head!;
  const stamp = ICAL.Time.fromJSDate(new Date(), true);
  for await (const batch of batches) yield batch.map((task) => `${toVTodo(task, timeZone, stamp)}\r\n`).join('');
  yield tail!;
}

/**
 * Text a spreadsheet would run as a formula (OWASP CSV injection: a cell starting with = + - @, tab
 * or CR) is prefixed with `'`; so is text that already starts with quotes before such a character, so
 * that an import, which takes one `'` off, gives back exactly what was exported.
 */
const formulaLike = /^'*[=+\-@\t\r]/;
export const neutralizeCell = (text: string) => (formulaLike.test(text) ? `'${text}` : text);
export const restoreCell = (text: string) => (formulaLike.test(text) && text.startsWith("'") ? text.slice(1) : text);

async function* toCsv(batches: AsyncIterable<TaskDto[]>): AsyncGenerator<string> {
  let first = true;
  for await (const batch of batches) {
    yield stringifyCsv(batch, { header: first, columns: [...csvColumns], bom: first, cast: { string: neutralizeCell } });
    first = false;
  }
  if (first) yield stringifyCsv([], { header: true, columns: [...csvColumns], bom: true });
}

/** `{"tasks": [...]}`, laid out as JSON.stringify(…, null, 2) would, one task at a time. */
async function* toJson(batches: AsyncIterable<TaskDto[]>): AsyncGenerator<string> {
  yield '{\n  "tasks": [';
  let count = 0;
  for await (const batch of batches) {
    yield batch.map((task) => `${count++ ? ',' : ''}\n    ${JSON.stringify(task, null, 2).replaceAll('\n', '\n    ')}`).join('');
  }
  yield count ? '\n  ]\n}\n' : ']\n}\n';
}

/** Every task, read batch by batch as it is sent, as a file named after today, e.g. tasks-2026-11-29.csv. */
export function exportTasks(batches: AsyncIterable<TaskDto[]>, format: ExportFormat, timeZone: string): DownloadFile {
  const fileName = `tasks-${new Date().toISOString().slice(0, 10)}.${format}`;
  switch (format) {
    case 'csv':
      return { body: toCsv(batches), type: 'text/csv; charset=utf-8', fileName };
    case 'ics':
      return { body: toICalendar(batches, timeZone), type: 'text/calendar; charset=utf-8', fileName };
    default:
      return { body: toJson(batches), type: 'application/json; charset=utf-8', fileName };
  }
}

export const maxImportRows = 1_000;

export const importBody = z.object({
  format: z.enum(['json', 'csv', 'ics']),
  data: z
    .union([z.string().max(4_000_000), z.array(z.unknown()).max(maxImportRows, `must hold at most ${maxImportRows} rows`)])
    .describe(
      'CSV text with a header row (as exported), iCalendar text (its VTODOs, with RRULE and VALARM), or an array of task objects (a JSON string of one is also taken)',
    ),
});

export const importReport = z.object({
  imported: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type ImportReport = z.infer<typeof importReport>;

/** A row of an import as a task: blank cells are absent, `completed` is read as the status when no status is given. */
const importRow = z.preprocess((row) => {
  if (!row || typeof row !== 'object') return row;
  const fields = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== '' && value !== null));
  if (fields.status === undefined && (fields.completed === true || fields.completed === 'true')) fields.status = 'completed';
  // What an export carries besides the task itself (where it was, who made it) is not imported.
  const {
    number: _number,
    completed: _completed,
    completed_at: _completedAt,
    created_at: _createdAt,
    updated_at: _updatedAt,
    id: _id,
    list_id: _listId,
    assignee: _assignee,
    created_by: _createdBy,
    updated_by: _updatedBy,
    archived_at: _archivedAt,
    labels: _labels,
    reminders: _reminders,
    ...task
  } = fields;
  return task;
}, taskInput.strict());

const tooMany = () => new AppError('VALIDATION_ERROR', 'Too many rows', [{ field: 'data', message: `must hold at most ${maxImportRows} rows` }]);

/** A reminder an import brings: minutes before the due date, or an instant. */
type Alarm = { before_minutes: number } | { at: Date };

const fromIcalPriority = (value: number) => (value >= 1 && value <= 2 ? 'urgent' : value <= 4 ? 'high' : value === 5 || value === 0 ? 'medium' : 'low');
const fromIcalStatus: Record<string, string> = { 'NEEDS-ACTION': 'pending', 'IN-PROCESS': 'in_progress', COMPLETED: 'completed' };

/** An iCalendar time as a due date: a DATE as the day, a UTC time as the instant, a TZID time in its zone, a floating time in the user's. */
function icalDue(time: ICAL.Time, zone: string | undefined): string {
  if (time.isDate) return time.toString();
  const parts = { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second };
  if (time.zone?.tzid === 'UTC') return DateTime.fromObject(parts, { zone: 'UTC' }).toISO()!;
  if (zone && DateTime.local().setZone(zone).isValid) return DateTime.fromObject(parts, { zone }).toISO({ includeOffset: true })!;
  return DateTime.fromObject(parts).toFormat("yyyy-LL-dd'T'HH:mm:ss");
}

/** A VTODO's alarms as reminders: a TRIGGER before its DUE (RELATED=END), or at an instant. */
function alarmsOf(todo: ICAL.Component): Alarm[] {
  return todo.getAllSubcomponents('valarm').flatMap((alarm): Alarm[] => {
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger?.getFirstValue();
    // Within what a reminder may be: up to a year before, at an instant of years 1–9999.
    if (value instanceof ICAL.Duration) {
      const minutes = Math.round(-value.toSeconds() / 60);
      return minutes >= 0 && minutes <= 525_600 ? [{ before_minutes: minutes }] : [];
    }
    if (value instanceof ICAL.Time) {
      const at = value.toJSDate();
      return at.getUTCFullYear() >= 1 && at.getUTCFullYear() <= 9999 ? [{ at }] : [];
    }
    return [];
  });
}

/** The VTODOs of an iCalendar text as task rows (numbered from 1), with the reminders each carries. */
function icsRows(text: string): { line: number; row: unknown; alarms: Alarm[] }[] {
  let todos: ICAL.Component[];
  try {
    todos = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vtodo');
  } catch (error) {
    throw new AppError('VALIDATION_ERROR', 'Invalid iCalendar', [{ field: 'data', message: (error as Error).message.split('\n')[0]! }]);
  }
  if (todos.length > maxImportRows) throw tooMany();
  return todos.map((todo, index) => {
    const due = todo.getFirstProperty('due');
    const rule = todo.getFirstPropertyValue('rrule');
    const priority = todo.getFirstPropertyValue('priority');
    const status = todo.getFirstPropertyValue('status');
    return {
      line: index + 1,
      row: {
        title: todo.getFirstPropertyValue('summary') ?? undefined,
        description: todo.getFirstPropertyValue('description') ?? undefined,
        ...(typeof priority === 'number' ? { priority: fromIcalPriority(priority) } : {}),
        ...(typeof status === 'string' && fromIcalStatus[status] ? { status: fromIcalStatus[status] } : {}),
        ...(due ? { due_date: icalDue(due.getFirstValue() as ICAL.Time, due.getParameter('tzid') as string | undefined) } : {}),
        ...(rule ? { recurrence: rule.toString() } : {}),
      },
      alarms: alarmsOf(todo),
    };
  });
}

/** The rows of an import with the line each starts on (CSV: in the file, the header being line 1; JSON and iCalendar: the position, from 1). */
function rowsOf(body: z.infer<typeof importBody>): { line: number; row: unknown; alarms?: Alarm[] }[] {
  if (body.format === 'ics') {
    if (typeof body.data !== 'string') throw new AppError('VALIDATION_ERROR', 'Invalid import', [{ field: 'data', message: 'must be iCalendar text' }]);
    return icsRows(body.data);
  }
  if (body.format === 'csv') {
    if (typeof body.data !== 'string') throw new AppError('VALIDATION_ERROR', 'Invalid import', [{ field: 'data', message: 'must be CSV text' }]);
    let records: { record: Record<string, string>; info: { lines: number } }[];
    try {
      records = parseCsv(body.data, {
        columns: true,
        bom: true,
        skip_empty_lines: true,
        trim: true,
        info: true,
        relax_column_count: true,
        cast: (value) => restoreCell(value),
      });
    } catch (error) {
      throw new AppError('VALIDATION_ERROR', 'Invalid CSV', [{ field: 'data', message: (error as Error).message.split('\n')[0]! }]);
    }
    if (records.length > maxImportRows) throw tooMany();
    // info.lines is where a record ends; it starts after the previous one (quoted fields may span lines).
    return records.map(({ record }, index) => ({ line: index === 0 ? 2 : records[index - 1]!.info.lines + 1, row: record }));
  }
  let data: unknown = body.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      throw new AppError('VALIDATION_ERROR', 'Invalid JSON', [{ field: 'data', message: 'must be a JSON array of tasks' }]);
    }
  }
  if (data && typeof data === 'object' && !Array.isArray(data) && Array.isArray((data as { tasks?: unknown }).tasks))
    data = (data as { tasks: unknown[] }).tasks;
  if (!Array.isArray(data)) throw new AppError('VALIDATION_ERROR', 'Invalid import', [{ field: 'data', message: 'must be an array of tasks' }]);
  if (data.length > maxImportRows) throw tooMany();
  return data.map((row, index) => ({ line: index + 1, row }));
}

/** Creates each valid row as a task of the list (in order, announced like any new task); a bad row is reported and skipped. */
export async function importTasks(tasks: TasksService, userId: string, body: z.infer<typeof importBody>, listId?: string): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, skipped: 0, errors: [] };
  const skip = (line: number, problems: { field: string; message: string }[]) => {
    report.skipped += 1;
    report.errors.push({ line, message: problems.map((detail) => `${detail.field}: ${detail.message}`).join('; ') });
  };
  const parsed: { line: number; task: z.output<typeof importRow>; alarms: Alarm[] }[] = [];
  for (const { line, row, alarms = [] } of rowsOf(body)) {
    const bad = inputProblem(row, 'row');
    const result = bad ? undefined : importRow.safeParse(row);
    if (result?.success) parsed.push({ line, task: result.data, alarms });
    else skip(line, result ? issueDetails(result.error.issues, 'row') : [bad!]);
  }
  // A due date's instant depends on the user's zone: checked here, so that such a row is reported on its own.
  const zone = parsed.some(({ task }) => needsZone(task.due_date)) ? await tasks.timeZone(userId) : 'UTC';
  const valid: TaskInput[] = [];
  const alarms: Alarm[][] = [];
  for (const { line, task, alarms: taskAlarms } of parsed) {
    try {
      if (task.due_date) resolveDue(task.due_date, zone);
      if (task.recurrence && !task.due_date) throw new AppError('VALIDATION_ERROR', 'Invalid row', [{ field: 'recurrence', message: 'needs a due date' }]);
      valid.push(task);
      alarms.push(taskAlarms);
    } catch (error) {
      if (!(error instanceof AppError) || !error.details) throw error;
      skip(line, error.details);
    }
  }
  const created = await tasks.createAll({ userId, channel: 'import' }, valid, { list_id: listId });
  // Reminders before a due date need one; a task holds at most 20 (the rest are dropped).
  await Promise.all(created.map((task, index) => tasks.remind(task.id, (alarms[index] ?? []).slice(0, 20))));
  report.imported = created.length;
  return report;
}
