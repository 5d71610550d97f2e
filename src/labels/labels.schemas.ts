import { z } from 'zod';
import { uuid } from '../shared/schemas.ts';

export const labelDto = z.object({ id: z.uuid(), name: z.string(), color: z.string() });
export type LabelDto = z.infer<typeof labelDto>;

const labelName = z.string({ error: 'is required and must be a string' }).trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');
const labelColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #3366ff')
  .transform((color) => color.toLowerCase());

export const createLabelBody = z.object({ name: labelName, color: labelColor });
export const updateLabelBody = z.object({ name: labelName.optional(), color: labelColor.optional() });
export const labelIdParams = z.object({ id: uuid });
export const taskLabelsBody = z.object({ label_ids: z.array(uuid).max(50, 'must hold at most 50 labels') });
