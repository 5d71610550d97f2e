import { addComment } from './add-comment.ts';
import { addTask } from './add-task.ts';
import { archiveTask } from './archive-task.ts';
import { completeTask } from './complete-task.ts';
import { deleteTask } from './delete-task.ts';
import { listComments } from './list-comments.ts';
import { listTasks } from './list-tasks.ts';
import { moveTask } from './move-task.ts';
import { snoozeReminder } from './snooze-reminder.ts';
import type { Tool } from './tool.ts';
import { toToolSpec } from './tool.ts';
import { undo } from './undo.ts';
import { updateTask } from './update-task.ts';

export const tools = [addTask, listTasks, completeTask, deleteTask, updateTask, archiveTask, moveTask, undo, addComment, listComments, snoozeReminder] as const;
/** The name of one of the tools: `add_task`, `list_tasks`, … */
export type ToolName = (typeof tools)[number]['name'];
export const toolsByName = new Map<string, Tool>(tools.map((tool) => [tool.name, tool]));
export const toolSpecs = tools.map(toToolSpec);
export type { Tool, ToolContext } from './tool.ts';
