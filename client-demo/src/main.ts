// The taskstream web client: auth, conversation sidebar, streaming chat with tool cards, live task panel.
import { ApiError, type ConversationDto, TaskstreamClient, type UserDto } from './api.ts';
import { $, byTestId } from './dom.ts';
import { applyEvent, emptyRoom, joined, type RoomEvent, type RoomMessage, roomEvents, withMessage, withNotice, withReply } from './room-state.ts';
import { authFields, clearAuthErrors, setAuthMode, showAuthError } from './views/auth.ts';
import { setConnection } from './views/connection.ts';
import { renderConversations as drawConversations } from './views/conversations.ts';
import { ListsPanel } from './views/lists.ts';
import { renderMessages as drawMessages, updateStreamingText } from './views/messages.ts';
import { mountReminders } from './views/reminders.ts';
import { mountSearch } from './views/search.ts';
import { mountSettings } from './views/settings.ts';
import { TaskPanel } from './views/task-panel.ts';
import { mountTokensPanel } from './views/tokens.ts';

const client = new TaskstreamClient();
const current = () => state.room.conversationId || undefined;
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
  /** The open conversation (its id is empty until a first message creates it). */
  room: emptyRoom(''),
  buffering: false,
  buffer: [] as RoomEvent[],
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
  for (const name of roomEvents) {
    socket.on(name, (payload: RoomEvent['payload']) => onRoomEvent({ name, payload } as RoomEvent));
  }
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
  const id = current();
  if (!id) return;
  const settled = [...state.room.messages].reverse().find((message) => message.status !== 'streaming');
  await openConversation(id, settled?.id);
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
  const open = current();
  if (open) void client.leave(open).catch(() => undefined);
  state.room = emptyRoom('');
  renderConversations();
  renderMessages();
}

/** Joins a conversation's room; with `afterMessageId`, only fetches what came after it. */
async function openConversation(id: string, afterMessageId?: string) {
  const open = current();
  if (open && open !== id) void client.leave(open).catch(() => undefined);
  if (open !== id) state.room = emptyRoom(id);
  state.buffering = true;
  state.buffer = [];
  try {
    let ack = await client.join(id, afterMessageId);
    // The anchor left the conversation (an edit, a regenerated reply): reload the latest page instead.
    if (!ack.ok && ack.error.code === 'NOT_FOUND' && afterMessageId) {
      afterMessageId = undefined;
      ack = await client.join(id);
    }
    if (!ack.ok) throw new Error(ack.error.message);
    const missed = [...ack.messages];
    for (let more = ack.has_more && afterMessageId !== undefined; more && missed.length > 0; ) {
      const page = await client.messagesAfter(id, missed.at(-1)!.id);
      missed.push(...page.messages);
      more = page.has_more;
    }
    state.room = joined(state.room, ack, missed, afterMessageId);
    state.conversations.set(id, ack.conversation);
  } finally {
    flushBuffer();
  }
  renderConversations();
  renderMessages();
}

// ---------- messages ----------
function onRoomEvent(event: RoomEvent) {
  if (state.buffering) {
    state.buffer.push(event);
    return;
  }
  if (event.payload.conversationId !== current()) return;
  applyRoomEvent(event);
}

function flushBuffer() {
  state.buffering = false;
  const buffered = state.buffer.splice(0);
  for (const event of buffered) if (event.payload.conversationId === current()) applyRoomEvent(event);
}

function applyRoomEvent(event: RoomEvent) {
  const { room, effect } = applyEvent(state.room, event);
  state.room = room;
  if (effect.kind === 'render') renderMessages();
  else if (effect.kind === 'text' && !updateStreamingText(effect.message)) renderMessages();
  else if (effect.kind === 'resync') void resync();
}

async function sendMessage() {
  const input = byTestId<HTMLTextAreaElement>('chat-input');
  const content = input.value.trim();
  if (!content) return;
  input.value = '';
  const creating = !current();
  if (creating) {
    // Until the ack names the new conversation, keep its room events.
    state.buffering = true;
    state.buffer = [];
  }
  try {
    const ack = await client.send(content, current(), crypto.randomUUID());
    if (!ack.ok) throw new ApiError(0, ack.error.code, ack.error.message);
    if (creating) state.room = { ...state.room, conversationId: ack.conversationId };
    state.room = withReply(withMessage(state.room, ack.message), ack.assistantMessageId);
  } catch (error) {
    input.value = content;
    state.room = withNotice(state.room, `Not sent: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (creating) flushBuffer();
  }
  renderConversations();
  renderMessages();
}

// ---------- messages: edit, regenerate, approve ----------
const renderMessages = () => drawMessages(state.room, messageActions);

/** Runs a socket command for the open conversation; a refusal shows as a notice in it. */
async function command(run: (conversationId: string) => Promise<{ ok: boolean; error?: { message: string } }>) {
  const open = current();
  const ack = open && (await run(open).catch((error: Error) => ({ ok: false, error: { message: error.message } })));
  if (ack && !ack.ok) state.room = withNotice(state.room, ack.error?.message ?? 'Refused');
  renderMessages();
}

const messageActions = {
  edit: (message: RoomMessage) => {
    const content = window.prompt('Edit your message', message.content)?.trim();
    if (content && content !== message.content) void command((id) => client.edit(id, message.id, content));
  },
  regenerate: () => void command((id) => client.regenerate(id)),
  answer: (approved: boolean) => {
    const pending = state.room.pending;
    if (pending) void command((id) => client.approve(id, pending.toolCallId, approved));
  },
};

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
  byTestId('chat-stop').addEventListener('click', () => {
    const open = current();
    if (open) void client.stop(open);
  });
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
