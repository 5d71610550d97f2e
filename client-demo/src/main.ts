// The taskstream web client: auth, conversation sidebar, streaming chat with tool cards, live task panel.
import { ApiError, type ConnectionState, type ConversationDto, type MessageDto, type TaskDto, TaskstreamClient, type UserDto } from './api.ts';
import { applyEvent, emptyRoom, joined, type RoomEvent, roomEvents, withMessage, withReply } from './room-state.ts';
import { mountTokensPanel } from './tokens-panel.ts';

type Filter = 'all' | 'pending' | 'completed';
type ToolCall = NonNullable<MessageDto['tool_calls']>[number];
type ToolResult = NonNullable<MessageDto['tool_results']>[number];
const client = new TaskstreamClient();
const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const byTestId = <T extends HTMLElement>(id: string) => $<T>(`[data-testid="${id}"]`);
const current = () => state.room.conversationId || undefined;

const state = {
  user: undefined as UserDto | undefined,
  conversations: new Map<string, ConversationDto>(),
  /** The open conversation (its id is empty until a first message creates it). */
  room: emptyRoom(''),
  buffering: false,
  buffer: [] as RoomEvent[],
  tasks: new Map<string, TaskDto>(),
  filter: 'all' as Filter,
  signingUp: false,
  connectedOnce: false,
};

// ---------- helpers ----------
/** Creates an element with properties (textContent, onclick, ariaLabel…), a test id and data attributes. */
function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { testid?: string; dataset?: Record<string, string>; [property: string]: unknown } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const { testid, dataset, ...rest } = props;
  const node: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), rest);
  if (testid) node.dataset.testid = testid;
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}

const formatDate = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleString(undefined, {
        month: 'short',
        day: 'numeric',
        ...(iso.endsWith('T00:00:00.000Z') ? { timeZone: 'UTC' } : { hour: 'numeric', minute: '2-digit' }),
      })
    : '';

function showError(target: HTMLElement, error: unknown) {
  target.textContent = error instanceof Error ? error.message : String(error);
}

// ---------- auth ----------
function setAuthMode(signingUp: boolean) {
  state.signingUp = signingUp;
  $('#auth-title').textContent = signingUp ? 'Create your taskstream account' : 'Log in to taskstream';
  $('#name-field').hidden = !signingUp;
  byTestId('auth-submit').textContent = signingUp ? 'Sign up' : 'Log in';
  byTestId('auth-toggle').textContent = signingUp ? 'Have an account? Log in' : 'New here? Create an account';
  byTestId<HTMLInputElement>('auth-password').autocomplete = signingUp ? 'new-password' : 'current-password';
  clearAuthErrors();
}

function clearAuthErrors() {
  for (const id of ['auth-name-error', 'auth-email-error', 'auth-password-error', 'auth-error']) $(`#${id}`).textContent = '';
}

async function submitAuth(event: SubmitEvent) {
  event.preventDefault();
  clearAuthErrors();
  const email = byTestId<HTMLInputElement>('auth-email').value;
  const password = byTestId<HTMLInputElement>('auth-password').value;
  const name = byTestId<HTMLInputElement>('auth-name').value.trim();
  const submit = byTestId<HTMLButtonElement>('auth-submit');
  submit.disabled = true;
  try {
    const user = state.signingUp ? await client.signup(email, password, name || undefined) : await client.login(email, password);
    await enterApp(user);
  } catch (error) {
    if (error instanceof ApiError && error.details.length) {
      for (const detail of error.details) {
        const target = document.getElementById(`auth-${detail.field}-error`);
        if (target) target.textContent = `${detail.field[0]!.toUpperCase()}${detail.field.slice(1)} ${detail.message}`;
        else showError($('#auth-error'), error);
      }
    } else if (error instanceof ApiError && error.code === 'EMAIL_TAKEN') {
      $('#auth-email-error').textContent = error.message;
    } else {
      showError($('#auth-error'), error);
    }
  } finally {
    submit.disabled = false;
  }
}

async function enterApp(user: UserDto) {
  state.user = user;
  $('#user-name').textContent = user.name ?? user.email;
  $('#auth-view').hidden = true;
  $('#app-view').hidden = false;
  connectSocket();
  await Promise.all([loadConversations(), loadTasks()]);
  byTestId('chat-input').focus();
}

function showAuth() {
  $('#app-view').hidden = true;
  $('#auth-view').hidden = false;
  setAuthMode(false);
  byTestId('auth-email').focus();
}

// ---------- connection ----------
function setConnection(connection: ConnectionState) {
  const label = { connecting: 'connecting…', connected: 'connected', reconnecting: 'reconnecting…', offline: 'offline' }[connection];
  const badge = byTestId('conn-status');
  badge.textContent = label;
  badge.dataset.state = connection;
}

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
  socket.on('task:created', ({ task }) => upsertTask(task));
  socket.on('task:updated', ({ task }) => upsertTask(task));
  socket.on('task:deleted', ({ id }) => {
    state.tasks.delete(id);
    renderTasks();
  });
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
  await Promise.all([loadConversations(), loadTasks()]);
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
  const list = byTestId('conversation-list');
  const sorted = [...state.conversations.values()].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  list.replaceChildren(
    ...sorted.map((conversation) => {
      const open = element('button', {
        type: 'button',
        className: 'open',
        textContent: conversation.title,
        title: conversation.title,
        onclick: () => void openConversation(conversation.id),
      });
      const rename = element('button', {
        type: 'button',
        className: 'icon',
        textContent: '✎',
        ariaLabel: `Rename ${conversation.title}`,
        onclick: () => void renameConversation(conversation),
      });
      const remove = element('button', {
        type: 'button',
        className: 'icon',
        textContent: '✕',
        ariaLabel: `Delete ${conversation.title}`,
        onclick: () => void removeConversation(conversation),
      });
      const item = element('li', { dataset: { id: conversation.id } }, open, rename, remove);
      item.setAttribute('aria-current', String(conversation.id === current()));
      return item;
    }),
  );
  if (sorted.length === 0) list.append(element('li', { className: 'empty', textContent: 'No conversations yet' }));
  $('#chat-title').textContent = state.conversations.get(current() ?? '')?.title || 'New conversation';
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
    const ack = await client.join(id, afterMessageId);
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
  else if (effect.kind === 'text') updateStreamingText(effect.message);
  else if (effect.kind === 'resync') void resync();
}

function toolCard(call: ToolCall, result: ToolResult | undefined) {
  const outcome = result ? (result.ok ? JSON.stringify(result.result) : `error: ${result.error}`) : 'running…';
  const card = element(
    'div',
    { className: 'tool-card', testid: 'tool-card', dataset: { ok: String(result?.ok ?? true) } },
    element('span', { className: 'name', textContent: `tool · ${call.name}` }),
    element('div', {}, 'arguments: ', element('code', { textContent: JSON.stringify(call.arguments) })),
    element('div', {}, 'result: ', element('code', { textContent: outcome })),
  );
  return card;
}

function messageElement(message: MessageDto & { error?: string }) {
  const statusNote = { complete: '', streaming: 'typing…', stopped: 'stopped', error: 'error', interrupted: 'interrupted' }[message.status];
  const meta = element('div', { className: 'meta', textContent: `${message.role === 'user' ? 'You' : 'Assistant'}${statusNote ? ` · ${statusNote}` : ''}` });
  const results = new Map((message.tool_results ?? []).map((result) => [result.tool_call_id, result]));
  const cards = (message.tool_calls ?? []).map((call) => toolCard(call, results.get(call.id)));
  const text = element('div', { className: 'text', textContent: message.content });
  const item = element(
    'li',
    { className: `message ${message.role}`, testid: 'message', dataset: { id: message.id, status: message.status } },
    meta,
    ...cards,
    text,
  );
  if (message.status === 'streaming') item.setAttribute('aria-busy', 'true');
  if (message.error) item.append(element('p', { className: 'error', textContent: `⚠ ${message.error}` }));
  return item;
}

function renderMessages() {
  const list = byTestId('message-list');
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.replaceChildren(...state.room.messages.map(messageElement));
  if (state.room.messages.length === 0)
    list.append(element('li', { className: 'empty', textContent: 'Say hi, or try “add buy milk tomorrow” or “what’s pending?”' }));
  if (nearBottom) list.scrollTop = list.scrollHeight;
  const stop = byTestId<HTMLButtonElement>('chat-stop');
  stop.disabled = !state.room.streaming;
}

/** A delta only touches the text of the streaming message, not the whole list. */
function updateStreamingText(message: MessageDto) {
  const node = byTestId('message-list').querySelector<HTMLElement>(`[data-id="${message.id}"] .text`);
  if (!node) return renderMessages();
  node.textContent = message.content;
  const list = byTestId('message-list');
  list.scrollTop = list.scrollHeight;
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
    state.room = withMessage(state.room, {
      id: crypto.randomUUID(),
      conversation_id: current() ?? '',
      role: 'assistant',
      content: '',
      status: 'error',
      tool_calls: null,
      tool_results: null,
      created_at: new Date().toISOString(),
      error: `Not sent: ${error instanceof Error ? error.message : String(error)}`,
    });
  } finally {
    if (creating) flushBuffer();
  }
  renderConversations();
  renderMessages();
}

// ---------- tasks ----------
const matchesFilter = (task: TaskDto) => state.filter === 'all' || (state.filter === 'completed' ? task.completed : !task.completed);

async function loadTasks() {
  const { tasks } = await client.listTasks(state.filter);
  state.tasks = new Map(tasks.map((task) => [task.id, task]));
  renderTasks();
}

function upsertTask(task: TaskDto) {
  if (matchesFilter(task)) state.tasks.set(task.id, task);
  else state.tasks.delete(task.id);
  renderTasks();
}

function renderTasks() {
  const list = byTestId('task-list');
  const tasks = [...state.tasks.values()].sort((a, b) => a.number - b.number);
  list.replaceChildren(
    ...tasks.map((task) => {
      const checkbox = element('input', {
        type: 'checkbox',
        checked: task.completed,
        testid: 'task-checkbox',
        ariaLabel: `Mark “${task.title}” as ${task.completed ? 'not done' : 'done'}`,
      });
      checkbox.addEventListener(
        'change',
        () =>
          void client.setCompleted(task.id, checkbox.checked).then(
            ({ task: updated }) => upsertTask(updated),
            (error) => showError($('#task-error'), error),
          ),
      );
      const details = element(
        'div',
        { className: 'details' },
        element('span', { textContent: `#${task.number}` }),
        element('span', { className: `priority-${task.priority}`, textContent: task.priority }),
        ...(task.due_date ? [element('span', { textContent: `due ${formatDate(task.due_date)}` })] : []),
      );
      const remove = element('button', {
        type: 'button',
        className: 'link',
        textContent: 'Delete',
        ariaLabel: `Delete “${task.title}”`,
        onclick: () => void client.deleteTask(task.id).catch((error) => showError($('#task-error'), error)),
      });
      return element(
        'li',
        { testid: 'task-item', dataset: { id: task.id, completed: String(task.completed) } },
        checkbox,
        element('div', {}, element('div', { className: 'title', textContent: task.title }), details),
        remove,
      );
    }),
  );
  if (tasks.length === 0) list.append(element('li', { className: 'empty', textContent: state.filter === 'all' ? 'No tasks yet' : `No ${state.filter} tasks` }));
}

async function addTask(event: SubmitEvent) {
  event.preventDefault();
  const input = $<HTMLInputElement>('#task-title');
  const title = input.value.trim();
  if (!title) return;
  $('#task-error').textContent = '';
  try {
    upsertTask((await client.createTask(title)).task);
    input.value = '';
  } catch (error) {
    showError($('#task-error'), error);
  }
}

// ---------- wiring ----------
function wire() {
  $<HTMLFormElement>('#auth-form').addEventListener('submit', (event) => void submitAuth(event));
  byTestId('auth-toggle').addEventListener('click', () => setAuthMode(!state.signingUp));
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
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-filter]')) {
    button.addEventListener('click', () => {
      state.filter = button.dataset.filter as Filter;
      for (const other of document.querySelectorAll<HTMLButtonElement>('[data-filter]')) other.setAttribute('aria-pressed', String(other === button));
      void loadTasks();
    });
  }
  $<HTMLFormElement>('#task-add-form').addEventListener('submit', (event) => void addTask(event));
}

async function start() {
  wire();
  const user = client.hasSession ? await client.resume().catch(() => undefined) : undefined;
  if (user) await enterApp(user);
  else showAuth();
}

void start();
