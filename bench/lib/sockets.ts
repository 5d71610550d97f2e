// Socket.IO clients for the benchmark: many connected at once, in batches the server can take.
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket;

/** `count` sockets connected to `url` over WebSocket (no reconnection), 250 at a time; `options` gives each its auth or query. */
export function connectMany(
  url: string,
  count: number,
  options: (index: number) => { auth?: object; query?: Record<string, string> },
): Promise<ClientSocket[]> {
  const sockets: ClientSocket[] = [];
  return (async () => {
    for (let offset = 0; offset < count; offset += 250) {
      const batch = Array.from(
        { length: Math.min(250, count - offset) },
        (_, i) =>
          new Promise<ClientSocket>((resolve, reject) => {
            const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000, ...options(offset + i) });
            socket.once('connect', () => resolve(socket));
            socket.once('connect_error', reject);
          }),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    return sockets;
  })();
}

export const closeAll = (sockets: ClientSocket[]) => {
  for (const socket of sockets) socket.close();
};
