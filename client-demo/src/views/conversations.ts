// The conversation sidebar: newest first, the open one marked, each with open, rename and delete.
import type { ConversationDto } from '../api.ts';
import { $, byTestId, element } from '../dom.ts';

export interface ConversationActions {
  open(conversation: ConversationDto): void;
  rename(conversation: ConversationDto): void;
  remove(conversation: ConversationDto): void;
}

export function renderConversations(conversations: Iterable<ConversationDto>, currentId: string | undefined, actions: ConversationActions) {
  const list = byTestId('conversation-list');
  const sorted = [...conversations].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  const button = (className: string, textContent: string, label: string, onclick: () => void) =>
    element('button', { type: 'button', className, textContent, ariaLabel: label, onclick });
  list.replaceChildren(
    ...sorted.map((conversation) => {
      const open = element('button', {
        type: 'button',
        className: 'open',
        textContent: conversation.title,
        title: conversation.title,
        onclick: () => actions.open(conversation),
      });
      const rename = button('icon', '✎', `Rename ${conversation.title}`, () => actions.rename(conversation));
      const remove = button('icon', '✕', `Delete ${conversation.title}`, () => actions.remove(conversation));
      const item = element('li', { dataset: { id: conversation.id } }, open, rename, remove);
      item.setAttribute('aria-current', String(conversation.id === currentId));
      return item;
    }),
  );
  if (sorted.length === 0) list.append(element('li', { className: 'empty', textContent: 'No conversations yet' }));
  $('#chat-title').textContent = sorted.find((conversation) => conversation.id === currentId)?.title || 'New conversation';
}
