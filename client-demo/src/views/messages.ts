// The message list of the open conversation: each message with its tool cards, redrawn from the room
// state — in the client demo and in the chat widget (which passes its own list, in its shadow root).
import type { MessageDto } from '../api.ts';
import { element } from '../dom.ts';
import type { Room, RoomMessage } from '../room-state.ts';
import { toolSentence } from './tool-words.ts';

type ToolCall = NonNullable<MessageDto['tool_calls']>[number];
type ToolResult = NonNullable<MessageDto['tool_results']>[number];

/** A tool call in words, its raw arguments and result folded away. */
function toolCard(call: ToolCall, result: ToolResult | undefined) {
  const outcome = result ? (result.ok ? JSON.stringify(result.result) : `error: ${result.error}`) : 'running…';
  return element(
    'div',
    { className: 'tool-card', testid: 'tool-card', dataset: { ok: String(result?.ok ?? true) } },
    element('div', { className: 'sentence', testid: 'tool-sentence', textContent: toolSentence(call, result) }),
    element(
      'details',
      {},
      element('summary', { textContent: call.name }),
      element('div', {}, 'arguments: ', element('code', { textContent: JSON.stringify(call.arguments) })),
      element('div', {}, 'result: ', element('code', { textContent: outcome })),
    ),
  );
}

/** Where the messages are drawn, and how a finished reply's text is (Markdown in the demo, plain text in the widget). */
export interface MessageView {
  list: HTMLElement;
  stop: HTMLButtonElement;
  renderText(target: HTMLElement, text: string): void;
}

export interface MessageActions {
  edit(message: RoomMessage): void;
  regenerate(): void;
  answer(approved: boolean): void;
}

const action = (testid: string, textContent: string, onclick: () => void) =>
  element('button', { type: 'button', className: 'link', testid, textContent, onclick });

/** The card of a tool call waiting for the user: what it would do, Approve and Decline. */
function approvalCard(summary: string, actions: MessageActions) {
  return element(
    'li',
    { className: 'approval-card', testid: 'approval-card', role: 'alertdialog', ariaLabel: 'Approve this action?' },
    element('p', { textContent: summary }),
    element('button', { type: 'button', className: 'primary', testid: 'approval-approve', textContent: 'Approve', onclick: () => actions.answer(true) }),
    element('button', { type: 'button', testid: 'approval-decline', textContent: 'Decline', onclick: () => actions.answer(false) }),
  );
}

function messageElement(message: RoomMessage, actions: MessageActions, view: MessageView, last: boolean, busy: boolean) {
  const statusNote = {
    complete: '',
    streaming: 'typing…',
    stopped: 'stopped',
    error: 'error',
    interrupted: 'interrupted',
    awaiting_approval: 'waiting for your approval',
  }[message.status];
  const meta = element('div', { className: 'meta', textContent: `${message.role === 'user' ? 'You' : 'Assistant'}${statusNote ? ` · ${statusNote}` : ''}` });
  const results = new Map((message.tool_results ?? []).map((result) => [result.tool_call_id, result]));
  const cards = (message.tool_calls ?? []).map((call) => toolCard(call, results.get(call.id)));
  const text = element('div', { className: 'text' });
  // A finished reply reads as the view renders it; a streaming one (and what the user typed) as the text it is.
  if (message.role === 'assistant' && message.status !== 'streaming') view.renderText(text, message.content);
  else text.textContent = message.content;
  const item = element(
    'li',
    { className: `message ${message.role}`, testid: 'message', dataset: { id: message.id, status: message.status } },
    meta,
    ...cards,
    text,
  );
  if (message.status === 'streaming') item.setAttribute('aria-busy', 'true');
  if (!busy && message.role === 'user')
    meta.append(
      ' ',
      action('message-edit', 'Edit', () => actions.edit(message)),
    );
  if (!busy && last && message.role === 'assistant')
    meta.append(
      ' ',
      action('message-regenerate', 'Regenerate', () => actions.regenerate()),
    );
  if (message.error) item.append(element('p', { className: 'error', textContent: `⚠ ${message.error}` }));
  return item;
}

export function renderMessages(room: Room, actions: MessageActions, view: MessageView) {
  const { list } = view;
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const busy = Boolean(room.streaming || room.pending);
  list.replaceChildren(...room.messages.map((message, index) => messageElement(message, actions, view, index === room.messages.length - 1, busy)));
  if (room.pending) list.append(approvalCard(room.pending.summary, actions));
  if (room.messages.length === 0)
    list.append(element('li', { className: 'empty', textContent: 'Say hi, or try “add buy milk tomorrow” or “what’s pending?”' }));
  if (nearBottom) list.scrollTop = list.scrollHeight;
  view.stop.disabled = !room.streaming;
}

/** A delta only touches the text of the streaming message, not the whole list; false when that message is not drawn yet. */
export function updateStreamingText(list: HTMLElement, message: RoomMessage): boolean {
  const node = list.querySelector<HTMLElement>(`[data-id="${message.id}"] .text`);
  if (!node) return false;
  node.textContent = message.content;
  list.scrollTop = list.scrollHeight;
  return true;
}
