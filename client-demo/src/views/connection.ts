// The connection badge in the top bar.
import type { ConnectionState } from '../api.ts';
import { byTestId } from '../dom.ts';

const labels: Record<ConnectionState, string> = { connecting: 'connecting…', connected: 'connected', reconnecting: 'reconnecting…', offline: 'offline' };

export function setConnection(connection: ConnectionState) {
  const badge = byTestId('conn-status');
  badge.textContent = labels[connection];
  badge.dataset.state = connection;
}
