// Reminders of a task, for one caller (editors set and remove them, anyone who can see the task
// snoozes one), and the scheduler that pushes each due one once, across every instance.
import type { FastifyBaseLogger } from 'fastify';
import { canWrite } from '../lists/lists.service.ts';
import { resolveDue } from '../shared/dates.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { Periodic } from '../shared/periodic.ts';
import type { TaskDto } from '../tasks/tasks.schemas.ts';
import { readOnly, type TaskRef, type TasksService } from '../tasks/tasks.service.ts';
import { type FiredReminder, maxPerTask, type RemindersRepository } from './reminders.repository.ts';
import type { ReminderBody, ReminderDto } from './reminders.schemas.ts';

/** Where due reminders are pushed: each to every socket of its task's creator and assignee. */
export interface ReminderEventSink {
  remindersFired(fired: { userIds: string[]; payload: { task: TaskDto; reminder: ReminderDto; late: boolean } }[]): void;
}

/** A reminder pushed more than this long after its moment (no instance was running) says so: `late`. */
const lateAfterMs = 60_000;
/** Reminders claimed by one statement. */
const batchSize = 100;

export class RemindersService {
  private readonly rounds = new Periodic(() => this.fireDue());

  constructor(
    private readonly reminders: RemindersRepository,
    private readonly tasks: TasksService,
    private readonly events: ReminderEventSink,
    private readonly log: FastifyBaseLogger,
    /** Now, as the scheduler reads it (tests move it). */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A reminder on a task (an editor): at an instant (read in the caller's zone without an offset), or minutes before its due date. */
  async add(userId: string, ref: TaskRef, body: ReminderBody): Promise<{ reminder: ReminderDto; task: TaskDto }> {
    const task = await this.tasks.locate(userId, ref);
    if (!canWrite(task.role)) throw readOnly();
    const when = 'at' in body ? { at: resolveDue(body.at, await this.tasks.timeZone(userId), 'at').at } : { beforeMinutes: body.before_minutes };
    const reminder = await this.reminders.add(task.id, when);
    if (reminder === 'full') throw new AppError('QUOTA_EXCEEDED', `A task holds at most ${maxPerTask} reminders`);
    if (reminder === 'no due date') {
      throw new AppError('VALIDATION_ERROR', 'The task has no due date to be reminded before', [
        { field: 'before_minutes', message: 'needs a due date on the task' },
      ]);
    }
    return { reminder, task: await this.tasks.announceUpdated(task.id) };
  }

  async remove(userId: string, id: string): Promise<void> {
    const reminder = await this.located(userId, id);
    if (!canWrite(reminder.role)) throw readOnly();
    await this.reminders.remove(id);
    await this.tasks.announceUpdated(reminder.taskId);
  }

  /** Due again `minutes` from now (anyone who can see the task: a reminder reaches viewers who are its assignee too). */
  async snooze(userId: string, id: string, minutes: number): Promise<ReminderDto> {
    const reminder = await this.located(userId, id);
    const snoozed = await this.reminders.snooze(id, new Date(this.clock().getTime() + minutes * 60_000));
    await this.tasks.announceUpdated(reminder.taskId);
    return snoozed;
  }

  /** Snoozes a task's latest reminder (a task without one gets one): due again `minutes` from now. */
  async snoozeTask(userId: string, ref: TaskRef, minutes: number): Promise<ReminderDto> {
    const task = await this.tasks.locate(userId, ref);
    const latest = await this.reminders.latestOf(task.id);
    if (latest) return this.snooze(userId, latest, minutes);
    return (await this.add(userId, ref, { at: { instant: new Date(this.clock().getTime() + minutes * 60_000) } })).reminder;
  }

  /**
   * Pushes due reminders every `pollMs`, the first time after `firstAfterMs`: those whose moment
   * passed while no instance ran go out (late) once the tabs of a restart have had time to come back.
   */
  start(pollMs: number, firstAfterMs: number): void {
    this.rounds.start(pollMs, firstAfterMs);
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** Claims and pushes every reminder due at the clock's now, a batch at a time (one round at a time per instance): how many were pushed. */
  tick(): Promise<number> {
    return this.rounds.run();
  }

  private async fireDue(): Promise<number> {
    let pushed = 0;
    try {
      for (;;) {
        const now = this.clock();
        const { fired, claimed } = await this.reminders.claimDue(now, batchSize);
        await this.push(fired, now);
        pushed += fired.length;
        if (claimed < batchSize) return pushed;
      }
    } catch (error) {
      this.log.warn({ err: error }, 'pushing due reminders failed; the next round tries again');
      return pushed;
    }
  }

  private async push(fired: FiredReminder[], now: Date): Promise<void> {
    if (fired.length === 0) return;
    const tasks = new Map((await this.tasks.readMany([...new Set(fired.map((one) => one.taskId))])).map((task) => [task.id, task]));
    this.events.remindersFired(
      fired.flatMap((one) => {
        const task = tasks.get(one.taskId);
        return task
          ? [{ userIds: one.userIds, payload: { task, reminder: one.reminder, late: now.getTime() - new Date(one.firesAt).getTime() > lateAfterMs } }]
          : [];
      }),
    );
  }

  private async located(userId: string, id: string) {
    const reminder = await this.reminders.locate(userId, id);
    if (!reminder) throw notFound('Reminder');
    return reminder;
  }
}
