// Comments on a task as the API takes and gives them.
import { z } from 'zod';
import { person, uuid } from '../shared/schemas.ts';

export const commentDto = z.object({
  id: z.uuid(),
  task_id: z.uuid(),
  author: person.nullable().describe('Null once the author’s account is gone'),
  body: z.string(),
  created_at: z.string(),
  edited_at: z.string().nullable(),
});
export type CommentDto = z.infer<typeof commentDto>;

/** Plain text, 1–4000 characters (trimmed; shown as written, never as HTML). */
export const commentBody = z.object({ body: z.string().trim().min(1, 'must not be empty').max(4000) });
export const commentIdParams = z.object({ id: uuid });
