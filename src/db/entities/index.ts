import { FileChunk, TaskAttachment } from './attachment.entity.ts';
import { TaskComment } from './comment.entity.ts';
import { Conversation } from './conversation.entity.ts';
import { Label, TaskLabel } from './label.entity.ts';
import { List, ListInvitation, ListMember } from './list.entity.ts';
import { Message } from './message.entity.ts';
import { PersonalAccessToken } from './personal-access-token.entity.ts';
import { RateLimitWindow } from './rate-limit-window.entity.ts';
import { RefreshToken } from './refresh-token.entity.ts';
import { TaskReminder } from './reminder.entity.ts';
import { Task } from './task.entity.ts';
import { TaskChange } from './task-change.entity.ts';

export type { ListRole } from './list.entity.ts';
export type { MessageRole, MessageStatus, StoredToolCall, StoredToolResult } from './message.entity.ts';
export type { TaskPriority, TaskStatus } from './task.entity.ts';
export type { ChangeAction, ChangeChannel, FieldChanges } from './task-change.entity.ts';

import { User } from './user.entity.ts';

export const entities = [
  User,
  RefreshToken,
  List,
  ListMember,
  ListInvitation,
  Task,
  TaskChange,
  Label,
  TaskLabel,
  TaskComment,
  TaskAttachment,
  FileChunk,
  TaskReminder,
  Conversation,
  Message,
  RateLimitWindow,
  PersonalAccessToken,
];
export {
  Conversation,
  FileChunk,
  Label,
  List,
  ListInvitation,
  ListMember,
  Message,
  PersonalAccessToken,
  RateLimitWindow,
  RefreshToken,
  Task,
  TaskAttachment,
  TaskChange,
  TaskComment,
  TaskLabel,
  TaskReminder,
  User,
};
