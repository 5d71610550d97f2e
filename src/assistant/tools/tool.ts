// What a tool is: a described zod input schema, a function acting for one user, and its own
// approval policy (whether a call is destructive, and how the approval card words it).
import { z } from 'zod';
import type { CommentsService } from '../../comments/comments.service.ts';
import type { RemindersService } from '../../reminders/reminders.service.ts';
import { isoDate } from '../../shared/schemas.ts';
import type { TaskDto } from '../../tasks/tasks.schemas.ts';
import type { Actor, TasksService } from '../../tasks/tasks.service.ts';
import type { ToolSpec } from '../provider.ts';

export interface ToolContext {
  userId: string;
  /** The user's IANA zone: dates in results are given in it. */
  timeZone: string;
  /** Destructive calls wait for the user's approval (the assistant only; MCP clients ask by themselves). */
  confirmDestructive?: boolean;
  tasks: TasksService;
  comments: CommentsService;
  reminders: RemindersService;
  /** Who calls (history keeps it): the assistant of a conversation, or an MCP client. */
  channel: 'assistant' | 'mcp';
  conversationId?: string;
}

/** The caller of a tool as history records it. */
export const actorOf = (context: ToolContext): Actor => ({ userId: context.userId, channel: context.channel, conversationId: context.conversationId });

/** A tool as written: its input schema, what it does with input that schema produced, and its approval policy. */
export interface ToolDefinition<Name extends string, Input extends z.ZodType> {
  name: Name;
  description: string;
  input: Input;
  execute(context: ToolContext, input: z.output<Input>): Promise<unknown>;
  /** Whether a call with these (raw) arguments waits for the user's approval, when the user asked for approvals; never when absent. */
  destructive?(args: Record<string, unknown>): boolean;
  /** What a held call would do, as the approval card asks it; `task` is the one its `task_number` names, when there is one. */
  summarize?(args: Record<string, unknown>, task: TaskDto | undefined): string;
}

/** A tool as it is run: raw arguments in, validated by its own schema before it acts. */
export interface Tool<Name extends string = string> {
  name: Name;
  description: string;
  input: z.ZodType;
  /** The parsed input and the call that runs the tool with it, or the schema's complaint. */
  prepare(context: ToolContext, args: unknown): { ok: true; input: unknown; run(): Promise<unknown> } | { ok: false; error: z.ZodError };
  destructive(args: Record<string, unknown>): boolean;
  summarize(args: Record<string, unknown>, task: TaskDto | undefined): string;
}

export function defineTool<const Name extends string, Input extends z.ZodType>(tool: ToolDefinition<Name, Input>): Tool<Name> {
  return {
    name: tool.name,
    description: tool.description,
    input: tool.input,
    prepare(context, args) {
      const parsed = tool.input.safeParse(args);
      if (!parsed.success) return { ok: false, error: parsed.error };
      return { ok: true, input: parsed.data, run: () => tool.execute(context, parsed.data) };
    },
    destructive: (args) => tool.destructive?.(args) ?? false,
    summarize: (args, task) => tool.summarize?.(args, task) ?? `Run ${tool.name}?`,
  };
}

export function toToolSpec(tool: Tool): ToolSpec {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, parameters };
}

export const taskNumber = z.number().int().min(1).describe('The number of the task in its list, as shown by list_tasks (1, 2, 3…)');

/** Which list a tool acts in: a list's name or id; the user's personal list when omitted. */
export const listArgument = z.string().trim().min(1).max(100).optional().describe('A list\'s name or id (e.g. "Family"); omit for the user\'s personal list');

/** Who a task is for: a member of its list, by name or email, or "me". */
export const assigneeArgument = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .nullable()
  .optional()
  .describe('A member of the list (name or email, or "me") to assign it to; null to unassign');

/** The task a call names: its number, counted in the list named (else the personal one). */
export async function taskRefOf(context: ToolContext, args: { task_number: number; list?: string }) {
  return { ref: args.task_number, listId: args.list ? await context.tasks.findList(context.userId, args.list) : undefined };
}

/** How an approval card names the task a call acts on: `task #3 "Buy milk"`, or its number alone when it is gone. */
export const taskLabel = (args: Record<string, unknown>, task: TaskDto | undefined) =>
  task ? `task #${task.number} "${task.title}"` : `task #${String(args.task_number)}`;

/** Labels by name: unknown names are made as the user's labels. */
export const labelsArgument = z.array(z.string().trim().min(1).max(50)).max(20).optional().describe('Label names (e.g. ["work"]); unknown ones are made');

/** When to remind: an instant (in the user's zone without an offset), or minutes before the due date. */
export const remindArgument = z
  .union([isoDate, z.number().int().min(0).max(525_600)])
  .optional()
  .describe("Remind the user: an instant (2030-01-31T17:00, in the user's zone) or a number of minutes before the due date (0: at it)");

/** Sets the reminder a call asks for on a task. */
export async function remindOf(context: ToolContext, taskId: string, remind: z.output<typeof remindArgument>): Promise<void> {
  if (remind === undefined) return;
  await context.reminders.add(context.userId, { ref: taskId }, typeof remind === 'number' ? { before_minutes: remind } : { at: remind });
}
