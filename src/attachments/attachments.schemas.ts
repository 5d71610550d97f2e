// Attachments as the API gives them.
import { z } from 'zod';
import { person, uuid } from '../shared/schemas.ts';

export const attachmentDto = z.object({
  id: z.uuid(),
  task_id: z.uuid(),
  filename: z.string().describe('The uploaded name, cleaned: one path segment, no control characters'),
  content_type: z.string().describe('Read from the file’s bytes, never taken from the client'),
  size: z.number().int().describe('Bytes'),
  uploaded_by: person,
  created_at: z.string(),
});
export type AttachmentDto = z.infer<typeof attachmentDto>;

export const attachmentIdParams = z.object({ id: uuid });
