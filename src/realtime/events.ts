// The Socket.IO contract shared by the server, the tests and the client demo.
import { z } from 'zod';
import type { AttachmentDto } from '../attachments/attachments.schemas.ts';
import type { CommentDto } from '../comments/comments.schemas.ts';
import type { ConversationDto, MessageDto, PendingApproval, StreamingSnapshot } from '../conversations/conversations.schemas.ts';
import type { ReminderDto } from '../reminders/reminders.schemas.ts';

export type { StreamingSnapshot } from '../conversations/conversations.schemas.ts';

import { messageContent } from '../conversations/conversations.schemas.ts';
import type { ListDto, Person, ReceivedInvitationDto } from '../lists/lists.schemas.ts';
import type { Ack } from '../shared/ack.ts';
import { uuid } from '../shared/schemas.ts';
import type { ChangeDto, TaskDto } from '../tasks/tasks.schemas.ts';

export const joinPayload = z.object({ conversationId: uuid, afterMessageId: uuid.optional() });
export const leavePayload = z.object({ conversationId: uuid });
export const sendPayload = z.object({ conversationId: uuid.optional(), content: messageContent, clientId: uuid });
export const stopPayload = z.object({ conversationId: uuid });
export const editPayload = z.object({ conversationId: uuid, messageId: uuid, content: messageContent, clientId: uuid });
export const regeneratePayload = z.object({ conversationId: uuid, clientId: uuid });
export const undoPayload = z.object({ change_id: uuid.optional() });
export const approvePayload = z.object({ conversationId: uuid, toolCallId: z.string().min(1).max(200), approved: z.boolean() });

export type JoinAck = Ack<{
  conversation: ConversationDto;
  messages: MessageDto[];
  has_more: boolean;
  streaming: StreamingSnapshot | null;
  pending_approval: PendingApproval | null;
}>;
export type SendAck = Ack<{ conversationId: string; message: MessageDto; assistantMessageId: string }>;
export type EmptyAck = Ack<object>;
export type EditAck = Ack<{ message: MessageDto; assistantMessageId: string }>;
export type RegenerateAck = Ack<{ assistantMessageId: string }>;
export type UndoAck = Ack<{ undone: ChangeDto; task: TaskDto | null }>;

export interface ClientToServerEvents {
  'conversation:join': (payload: z.input<typeof joinPayload>, ack: (response: JoinAck) => void) => void;
  'conversation:leave': (payload: z.input<typeof leavePayload>, ack: (response: EmptyAck) => void) => void;
  'message:send': (payload: z.input<typeof sendPayload>, ack: (response: SendAck) => void) => void;
  'assistant:stop': (payload: z.input<typeof stopPayload>, ack: (response: EmptyAck) => void) => void;
  'message:edit': (payload: z.input<typeof editPayload>, ack: (response: EditAck) => void) => void;
  'assistant:regenerate': (payload: z.input<typeof regeneratePayload>, ack: (response: RegenerateAck) => void) => void;
  'tool:approve': (payload: z.input<typeof approvePayload>, ack: (response: EmptyAck) => void) => void;
  'task:undo': (payload: z.input<typeof undoPayload>, ack: (response: UndoAck) => void) => void;
}

export interface ToolCallEvent {
  conversationId: string;
  messageId: string;
  toolCallId: string;
  name: string;
  arguments: Record<string, unknown>;
}
export interface ToolResultEvent {
  conversationId: string;
  messageId: string;
  toolCallId: string;
  name: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface ServerToClientEvents {
  'message:new': (payload: { conversationId: string; message: MessageDto }) => void;
  /** An edited user message. */
  'message:updated': (payload: { conversationId: string; message: MessageDto }) => void;
  /** Messages that left the conversation (after an edit, or a regenerated reply), oldest first. */
  'message:removed': (payload: { conversationId: string; messageIds: string[] }) => void;
  'assistant:start': (payload: { conversationId: string; messageId: string }) => void;
  'assistant:delta': (payload: { conversationId: string; messageId: string; seq: number; text: string }) => void;
  'assistant:tool_call': (payload: ToolCallEvent) => void;
  'assistant:tool_result': (payload: ToolResultEvent) => void;
  'assistant:done': (payload: { conversationId: string; message: MessageDto }) => void;
  'assistant:approval_request': (payload: { conversationId: string } & PendingApproval) => void;
  'assistant:error': (payload: { conversationId: string; messageId: string; code: string; message: string }) => void;
  /** Every change of a task of one of the user's lists, whoever made it. */
  'task:created': (payload: { task: TaskDto }) => void;
  'task:updated': (payload: { task: TaskDto }) => void;
  'task:deleted': (payload: { id: string; number: number; list_id: string }) => void;
  /** A task's comment thread and files, on any list of the user's. */
  'comment:created': (payload: { list_id: string; comment: CommentDto }) => void;
  'comment:updated': (payload: { list_id: string; comment: CommentDto }) => void;
  'comment:deleted': (payload: { list_id: string; id: string; task_id: string }) => void;
  'attachment:added': (payload: { list_id: string; attachment: AttachmentDto }) => void;
  'attachment:removed': (payload: { list_id: string; id: string; task_id: string }) => void;
  /** A reminder of a task the user made or is assigned, at its moment (`late` when no instance ran then). */
  'task:reminder': (payload: { task: TaskDto; reminder: ReminderDto; late: boolean }) => void;
  /** A change of a task of one of the user's lists (its history row). */
  'activity:new': (payload: { entry: ChangeDto }) => void;
  /** A list of the user's: made or joined, changed (name, colour, members, role), deleted. */
  'list:created': (payload: { list: ListDto }) => void;
  'list:updated': (payload: { list: ListDto }) => void;
  'list:deleted': (payload: { id: string }) => void;
  'list:member_added': (payload: { listId: string; user: Person }) => void;
  'list:member_removed': (payload: { listId: string; user: Person }) => void;
  /** The user was removed from a list (or left it): its tasks no longer reach this socket. */
  'list:removed': (payload: { listId: string }) => void;
  'invitation:new': (payload: { invitation: ReceivedInvitationDto }) => void;
  'invitation:removed': (payload: { id: string }) => void;
  'conversation:updated': (payload: { conversation: ConversationDto }) => void;
  'conversation:deleted': (payload: { id: string }) => void;
}

export const userRoom = (userId: string) => `user:${userId}`;
/** Every socket of every member of a list: its task events. */
export const listRoom = (listId: string) => `list:${listId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
/** Every socket of one login session: disconnected together when the session ends. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
