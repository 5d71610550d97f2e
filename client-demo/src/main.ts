// The taskstream web client: auth, conversation sidebar, streaming chat with tool cards, live task panel.
import { type ConversationDto, TaskstreamClient, type UserDto } from './api.ts';
import { ChatSession } from './chat-session.ts';
import { $, byTestId } from './dom.ts';
import type { RoomMessage } from './room-state.ts';
import { authFields, clearAuthErrors, setAuthMode, showAuthError } from './views/auth.ts';
import { setConnection } from './views/connection.ts';
import { renderConversations as drawConversations } from './views/conversations.ts';
import { ListsPanel } from './views/lists.ts';
import { renderMarkdown } from './views/markdown.ts';
import { renderMessages as drawMessages, updateStreamingText } from './views/messages.ts';
import { mountReminders } from './views/reminders.ts';
import { mountSearch } from './views/search.ts';
import { mountSettings } from './views/settings.ts';
import { TaskPanel } from './views/task-panel.ts';
import { mountTokensPanel } from './views/tokens.ts';

const client = new TaskstreamClient();
const current = () => chat.conversationId;
const tasks = new TaskPanel(client, () => state.user?.id);
const lists = new ListsPanel(
  client,
  () => void tasks.load(),
  () => state.user?.id,
);
tasks.scope = lists;
const settings = mountSettings(client, current);
const reminders = mountReminders(client);

const state = {
  user: undefined as UserDto | undefined,
  conversations: new Map<string, ConversationDto>(),
  signingUp: false,
  connectedOnce: false,
};

// ---------- auth ----------
function setMode(signingUp: boolean) {
  state.signingUp = signingUp;
  setAuthMode(signingUp);
}

async function submitAuth(event: SubmitEvent) {
  event.preventDefault();
  clearAuthErrors();
  const { email, password, name } = authFields();
  const submit = byTestId<HTMLButtonElement>('auth-submit');
  submit.disabled = true;
  try {
    await enterApp(state.signingUp ? await client.signup(email, password, name || undefined) : await client.login(email, password));
  } catch (error) {
    showAuthError(error);
  } finally {
    submit.disabled = false;
  }
}

async function enterApp(signedIn: UserDto) {
  const user = await client.followBrowserTimeZone(signedIn).catch(() => signedIn);
  state.user = user;
  settings.show(user);
  $('#user-name').textContent = user.name ?? user.email;
  $('#auth-view').hidden = true;
  $('#app-view').hidden = false;
  connectSocket();
  await Promise.all([loadConversations(), lists.refresh().then(() => tasks.load())]);
  byTestId('chat-input').focus();
}

function showAuth() {
  $('#app-view').hidden = true;
  $('#auth-view').hidden = false;
  setMode(false);
  byTestId('auth-email').focus();
}

// ---------- connection ----------
function connectSocket() {
  const socket = client.connect(setConnection);
  socket.on('connect', () => {
    // After a reconnection, catch up on everything missed while away.
    if (state.connectedOnce) void resync();
    state.connectedOnce = true;
  });
  chat.listen();
  socket.on('task:created', ({ task }) => tasks.upsert(task));
  socket.on('task:updated', ({ task }) => tasks.upsert(task));
  socket.on('task:deleted', ({ id }) => tasks.remove(id));
  socket.on('activity:new', ({ entry }) => tasks.offerUndo(entry));
  socket.on('task:reminder', (payload) => reminders.show(payload));
  socket.on('comment:created', ({ comment }) => tasks.detail.commentChanged(comment));
  socket.on('comment:updated', ({ comment }) => tasks.detail.commentChanged(comment));
  socket.on('comment:deleted', (removed) => tasks.detail.commentRemoved(removed));
  socket.on('attachment:added', ({ attachment }) => tasks.detail.attachmentAdded(attachment));
  socket.on('attachment:removed', (removed) => tasks.detail.attachmentRemoved(removed));
  // Lists and invitations: read them anew (a removal also takes the removed list's tasks off the panel).
  for (const event of [
    'list:created',
    'list:updated',
    'list:deleted',
    'list:removed',
    'list:member_added',
    'list:member_removed',
    'invitation:new',
    'invitation:removed',
  ] as const) {
    socket.on(event, () => void lists.refresh().then(() => tasks.load()));
  }
  socket.on('conversation:updated', ({ conversation }) => {
    state.conversations.set(conversation.id, conversation);
    renderConversations();
  });
  socket.on('conversation:deleted', ({ id }) => {
    state.conversations.delete(id);
    if (current() === id) startNewConversation();
    renderConversations();
  });
}

async function resync() {
  await Promise.all([loadConversations(), lists.refresh().then(() => tasks.load())]);
  await chat.reopen();
}

// ---------- conversations ----------
async function loadConversations() {
  const { conversations } = await client.listConversations();
  state.conversations = new Map(conversations.map((conversation) => [conversation.id, conversation]));
  renderConversations();
}

function renderConversations() {
  drawConversations(state.conversations.values(), current(), {
    open: (conversation) => void openConversation(conversation.id),
    rename: (conversation) => void renameConversation(conversation),
    remove: (conversation) => void removeConversation(conversation),
  });
}

async function renameConversation(conversation: ConversationDto) {
  const title = window.prompt('Rename conversation', conversation.title)?.trim();
  if (title) await client.renameConversation(conversation.id, title);
}

async function removeConversation(conversation: ConversationDto) {
  if (window.confirm(`Delete "${conversation.title}" and its messages?`)) await client.deleteConversation(conversation.id);
}

function startNewConversation() {
  chat.startNew();
  renderConversations();
}

const openConversation = (id: string) => chat.open(id);

async function sendMessage() {
  const input = byTestId<HTMLTextAreaElement>('chat-input');
  const content = input.value.trim();
  if (!content) return;
  input.value = '';
  if (!(await chat.send(content))) input.value = content;
}

// ---------- messages: edit, regenerate, approve ----------
const messageActions = {
  edit: (message: RoomMessage) => chat.edit(message, window.prompt('Edit your message', message.content)?.trim() ?? ''),
  regenerate: () => chat.regenerate(),
  answer: (approved: boolean) => chat.answer(approved),
};

const messageView = { list: byTestId('message-list'), stop: byTestId<HTMLButtonElement>('chat-stop'), renderText: renderMarkdown };
const chat: ChatSession = new ChatSession(client, {
  render: () => drawMessages(chat.room, messageActions, messageView),
  text: (message) => updateStreamingText(messageView.list, message),
  resync: () => void resync(),
  conversation: (conversation) => {
    if ('title' in conversation) state.conversations.set(conversation.id, conversation);
    renderConversations();
  },
});

// ---------- wiring ----------
function wire() {
  $<HTMLFormElement>('#auth-form').addEventListener('submit', (event) => void submitAuth(event));
  byTestId('auth-toggle').addEventListener('click', () => setMode(!state.signingUp));
  const tokensPanel = mountTokensPanel(client);
  $('#logout').addEventListener('click', () => {
    tokensPanel.reset();
    void client.logout();
    state.connectedOnce = false;
    startNewConversation();
    showAuth();
  });
  $('#new-conversation').addEventListener('click', () => {
    startNewConversation();
    byTestId('chat-input').focus();
  });
  $<HTMLFormElement>('#chat-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void sendMessage();
  });
  byTestId('chat-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void sendMessage();
    }
  });
  byTestId('chat-stop').addEventListener('click', () => chat.stop());
  mountSearch(
    client,
    (result) =>
      void openConversation(result.conversation.id).then(() => {
        const hit = result.message && document.querySelector(`[data-testid="message"][data-id="${result.message.id}"]`);
        hit?.classList.add('hit');
        hit?.scrollIntoView({ block: 'center' });
      }),
  );
}

async function start() {
  wire();
  const user = client.hasSession ? await client.resume().catch(() => undefined) : undefined;
  if (user) await enterApp(user);
  else showAuth();
}

void start();
