// task:undo: the socket form of POST /api/undo.

import type { KeyedBuckets } from '../../shared/token-bucket.ts';
import type { TasksService } from '../../tasks/tasks.service.ts';
import { undoPayload } from '../events.ts';
import type { AppSocket } from '../socket-types.ts';
import { type HandlerContext, handle } from './handle.ts';

export function registerTaskHandlers(socket: AppSocket, context: HandlerContext, tasks: TasksService, budgets: { commands: KeyedBuckets } | undefined) {
  const { userId } = socket.data;
  socket.on(
    'task:undo',
    handle(context, undoPayload, ({ change_id }) => tasks.undo({ userId, channel: 'socket' }, change_id), budgets && (() => budgets.commands.spend(userId))),
  );
}
