// Bare Socket.IO for comparison: one room per socket, the same delta events at the same rate, and
// an `assistant:done` at the end (the bench waits for it before the next round).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { countEmitted, reportEmittedOnRequest } from '../lib/emitted.ts';
import { profileWindowsOnSignal } from '../lib/window-profile.ts';

profileWindowsOnSignal('bare-socket');
reportEmittedOnRequest();
const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  const room = `conversation:${String(socket.handshake.query.room)}`;
  void socket.join(room);
  socket.on('go', ({ deltas, intervalMs }: { deltas: number; intervalMs: number }, ack: () => void) => {
    ack();
    // The same payload as taskstream's: uuids for the conversation and the message.
    const conversationId = randomUUID();
    const messageId = randomUUID();
    let seq = 0;
    const timer = setInterval(() => {
      io.to(room).emit('assistant:delta', { conversationId, messageId, seq, text: `${Date.now()} ` });
      countEmitted();
      if (++seq < deltas) return;
      clearInterval(timer);
      io.to(room).emit('assistant:done', { conversationId, message: { id: messageId } });
    }, intervalMs);
  });
});
http.listen(0, '127.0.0.1', () => console.log(`READY ${(http.address() as { port: number }).port}`));
process.on('SIGTERM', () => void io.close(() => process.exit(0)));
