// What the services announce, to rooms on every instance: task changes (comments and files too) to their list's room, list
// and conversation changes to the users concerned, a reply's progress to its conversation's room (its deltas, the hot path, written
// straight to the room's connections while the instance is alone).
import type { ReplyEventSink } from '../assistant/chat.types.ts';
import type { AttachmentEventSink } from '../attachments/attachments.service.ts';
import type { CommentEventSink } from '../comments/comments.service.ts';
import type { ConversationEventSink } from '../conversations/conversations.service.ts';
import type { ListEventSink } from '../lists/lists.service.ts';
import type { ReminderEventSink } from '../reminders/reminders.service.ts';
import type { TaskEventSink } from '../tasks/tasks.service.ts';
import { conversationRoom, listRoom, userRoom } from './events.ts';
import { deltaWriter } from './fan-out.ts';
import type { AppServer, FiredPush } from './socket-types.ts';

export interface Broadcasts {
  taskEvents: TaskEventSink;
  commentEvents: CommentEventSink;
  attachmentEvents: AttachmentEventSink;
  reminderEvents: ReminderEventSink;
  listEvents: ListEventSink;
  conversationEvents: ConversationEventSink;
  replyEvents: ReplyEventSink;
  /** Asks the other instances to end a conversation's replies, should one of them be generating them. */
  stopOnPeers(conversationId: string): void;
}

export function createBroadcasts(io: AppServer): Broadcasts {
  /** Pushes reminders to this instance's sockets of their users. */
  const pushLocally = (fired: FiredPush[]) => {
    for (const { userIds, payload } of fired) io.local.to(userIds.map(userRoom)).emit('task:reminder', payload);
  };
  io.on('reminders:fired', pushLocally);
  const toUser = (userId: string) => io.to(userRoom(userId));
  const toList = (listId: string) => io.to(listRoom(listId));
  const toConversation = (conversationId: string) => io.to(conversationRoom(conversationId));
  return {
    stopOnPeers: (conversationId) => io.serverSideEmit('reply:stop', conversationId),
    taskEvents: {
      taskCreated: (listId, task) => toList(listId).emit('task:created', { task }),
      taskUpdated: (listId, task) => toList(listId).emit('task:updated', { task }),
      taskDeleted: (listId, deleted) => toList(listId).emit('task:deleted', deleted),
      changed: (listId, entry) => toList(listId).emit('activity:new', { entry }),
    },
    commentEvents: {
      commentCreated: (listId, comment) => toList(listId).emit('comment:created', { list_id: listId, comment }),
      commentUpdated: (listId, comment) => toList(listId).emit('comment:updated', { list_id: listId, comment }),
      commentDeleted: (listId, deleted) => toList(listId).emit('comment:deleted', { list_id: listId, ...deleted }),
    },
    attachmentEvents: {
      attachmentAdded: (listId, attachment) => toList(listId).emit('attachment:added', { list_id: listId, attachment }),
      attachmentRemoved: (listId, removed) => toList(listId).emit('attachment:removed', { list_id: listId, ...removed }),
    },
    // A batch of reminders is one message between instances, not one per reminder (100,000 in a minute: BENCHMARKS.md).
    reminderEvents: {
      remindersFired: (fired) => {
        if (fired.length === 0) return;
        pushLocally(fired);
        io.serverSideEmit('reminders:fired', fired);
      },
    },
    // Room moves go to every instance through the adapter: a member's sockets join or leave wherever they are.
    listEvents: {
      listUpdated: (userId, list, created) => {
        if (created) io.in(userRoom(userId)).socketsJoin(listRoom(list.id));
        toUser(userId).emit(created ? 'list:created' : 'list:updated', { list });
      },
      listDeleted: (userIds, listId) => {
        for (const userId of userIds) toUser(userId).emit('list:deleted', { id: listId });
        io.in(listRoom(listId)).socketsLeave(listRoom(listId));
      },
      memberAdded: (listId, user) => toList(listId).emit('list:member_added', { listId, user }),
      memberRemoved: (listId, user) => {
        io.in(userRoom(user.id)).socketsLeave(listRoom(listId));
        toUser(user.id).emit('list:removed', { listId });
        toList(listId).emit('list:member_removed', { listId, user });
      },
      invitationNew: (userId, invitation) => toUser(userId).emit('invitation:new', { invitation }),
      invitationRemoved: (userId, id) => toUser(userId).emit('invitation:removed', { id }),
    },
    conversationEvents: {
      conversationUpdated: (userId, conversation) => toUser(userId).emit('conversation:updated', { conversation }),
      conversationDeleted: (userId, id) => {
        toUser(userId).emit('conversation:deleted', { id });
        io.in(conversationRoom(id)).socketsLeave(conversationRoom(id));
      },
    },
    replyEvents: {
      userMessage: (conversationId, message) => toConversation(conversationId).emit('message:new', { conversationId, message }),
      replyStarted: (conversationId, messageId) => toConversation(conversationId).emit('assistant:start', { conversationId, messageId }),
      // A stream's hot path: fan-out.ts.
      replyDeltas: (reply) => deltaWriter(io, reply),
      toolCall: (conversationId, messageId, call) =>
        toConversation(conversationId).emit('assistant:tool_call', {
          conversationId,
          messageId,
          toolCallId: call.id,
          name: call.name,
          arguments: call.arguments,
        }),
      toolResult: (conversationId, messageId, result) =>
        toConversation(conversationId).emit('assistant:tool_result', {
          conversationId,
          messageId,
          toolCallId: result.tool_call_id,
          name: result.name,
          ok: result.ok,
          ...(result.ok ? { result: result.result } : { error: result.error }),
        }),
      replyDone: (conversationId, message) => toConversation(conversationId).emit('assistant:done', { conversationId, message }),
      replyError: (conversationId, messageId, error) => toConversation(conversationId).emit('assistant:error', { conversationId, messageId, ...error }),
      messagesRemoved: (conversationId, messageIds) => toConversation(conversationId).emit('message:removed', { conversationId, messageIds }),
      messageEdited: (conversationId, message) => toConversation(conversationId).emit('message:updated', { conversationId, message }),
      approvalRequest: (conversationId, pending) => toConversation(conversationId).emit('assistant:approval_request', { conversationId, ...pending }),
    },
  };
}
