// The typed Socket.IO server and socket of taskstream: the contract's events (events.ts), the events
// between instances, and what a socket carries from its handshake.
import type { Server, Socket } from 'socket.io';
import type { StreamingSnapshot } from '../conversations/conversations.schemas.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

/** A reminder's push: to whom, and what. */
export interface FiredPush {
  userIds: string[];
  payload: Parameters<ServerToClientEvents['task:reminder']>[0];
}

export interface SocketData {
  userId: string;
  sessionId: string;
  /** When the handshake's access token expires (epoch ms). */
  expiresAt: number;
  /** The lists the user belonged to at the handshake: the socket joins their rooms as it connects. */
  lists: string[];
}
/** Between instances: the one generating a conversation's reply answers with its exact state. */
export interface InterServerEvents {
  'reply:snapshot': (conversationId: string, ack: (snapshot: StreamingSnapshot | null) => void) => void;
  /** Ends a conversation's reply on whichever instance generates it (stop, or the conversation was deleted). */
  'reply:stop': (conversationId: string) => void;
  /** Reminders one instance claimed: each instance pushes them to its own sockets of the users named. */
  'reminders:fired': (fired: FiredPush[]) => void;
  /** A login session ended (logout, or its refresh token replayed): refuse its access tokens here too. */
  'session:ended': (sessionId: string) => void;
}
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
