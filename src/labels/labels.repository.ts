// The SQL of labels: a user's own, and the ones on a task.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/sql.ts';
import { AppError } from '../shared/errors.ts';

export interface LabelRow {
  id: string;
  name: string;
  color: string;
}

/** Colours a label made by name (by the assistant) gets, in turn. */
const palette = ['#4f7cff', '#2fa36b', '#d9822b', '#c2417d', '#7a5af8', '#1c9cb8', '#b8a21c', '#8a6d5a'];

export class LabelsRepository {
  constructor(private readonly em: EntityManager) {}

  of(userId: string): Promise<LabelRow[]> {
    return executeBound<LabelRow>(this.em, 'select id, name, color from labels where user_id = $1 order by lower(name), id', [userId]);
  }

  async create(userId: string, name: string, color: string): Promise<LabelRow> {
    const [row] = await executeBound<LabelRow>(
      this.em,
      'insert into labels (user_id, name, color) values ($1, $2, $3) on conflict (user_id, lower(name)) do nothing returning id, name, color',
      [userId, name, color],
    );
    if (!row) throw new AppError('CONFLICT', `You have a label called "${name}" already`);
    return row;
  }

  async update(userId: string, id: string, changes: { name?: string; color?: string }): Promise<LabelRow | undefined> {
    try {
      const [row] = await executeBound<LabelRow>(
        this.em,
        'update labels set name = coalesce($3, name), color = coalesce($4, color) where id = $1 and user_id = $2 returning id, name, color',
        [id, userId, changes.name ?? null, changes.color ?? null],
      );
      return row;
    } catch (error) {
      if ((error as { code?: string }).code === '23505' || /unique/i.test(String(error)))
        throw new AppError('CONFLICT', `You have a label called "${changes.name}" already`);
      throw error;
    }
  }

  async delete(userId: string, id: string): Promise<boolean> {
    return (await executeBound(this.em, 'delete from labels where id = $1 and user_id = $2 returning id', [id, userId])).length > 0;
  }

  /** The user's labels of these ids: all of them, or VALIDATION_ERROR naming `field`. */
  async own(userId: string, ids: string[], field: string): Promise<string[]> {
    const rows = await executeBound<{ id: string }>(this.em, 'select id from labels where user_id = $1 and id = any($2::uuid[])', [userId, ids]);
    if (rows.length !== new Set(ids).size) throw new AppError('VALIDATION_ERROR', `Invalid ${field}`, [{ field, message: 'must be ids of your own labels' }]);
    return rows.map((row) => row.id);
  }

  /** The user's labels by name (case-insensitive), made when missing (the assistant's "tag it as work"). */
  async byNames(userId: string, names: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const name of names) {
      const [row] = await executeBound<{ id: string }>(
        this.em,
        `with found as (select id from labels where user_id = $1 and lower(name) = lower($2)),
         made as (insert into labels (user_id, name, color) select $1, $2, $3 where not exists (select 1 from found) on conflict do nothing returning id)
         select id from found union all select id from made`,
        [userId, name.trim(), palette[Math.abs([...name].reduce((sum, char) => sum + char.charCodeAt(0), 0)) % palette.length]],
      );
      if (row) ids.push(row.id);
    }
    return [...new Set(ids)];
  }

  /** The user's labels on a task. */
  async onTask(taskId: string, userId: string): Promise<string[]> {
    return (
      await executeBound<{ label_id: string }>(
        this.em,
        'select tl.label_id from task_labels tl join labels l on l.id = tl.label_id where tl.task_id = $1 and l.user_id = $2 order by tl.label_id',
        [taskId, userId],
      )
    ).map((row) => row.label_id);
  }

  /** Replaces the user's labels on a task (others' stay), in one statement. */
  async replaceOnTask(taskId: string, userId: string, labelIds: string[]): Promise<void> {
    await executeBound(
      this.em,
      `with gone as (delete from task_labels tl using labels l where tl.task_id = $1 and l.id = tl.label_id and l.user_id = $2 and not (tl.label_id = any($3::uuid[])))
       insert into task_labels (task_id, label_id) select $1, unnest($3::uuid[]) on conflict do nothing`,
      [taskId, userId, labelIds],
    );
  }
}
