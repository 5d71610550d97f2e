// What a tool is: a described zod input schema and a function acting for one user.
import { z } from 'zod';
import type { TasksService } from '../../tasks/tasks.service.ts';
import type { ToolSpec } from '../provider.ts';

export interface ToolContext {
  userId: string;
  tasks: TasksService;
}

export interface Tool<Input extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: Input;
  execute(context: ToolContext, input: z.output<Input>): Promise<unknown>;
}

export const defineTool = <Input extends z.ZodType>(tool: Tool<Input>): Tool => tool as unknown as Tool;

export function toToolSpec(tool: Tool): ToolSpec {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, parameters };
}

export const taskNumber = z.number().int().min(1).describe('The number of the task, as shown by list_tasks (1, 2, 3…)');
