// The embeddable chat widget, served as /widget.js: <taskstream-chat> in its own Shadow DOM (the host
// page's CSS cannot reach in, and the widget's cannot reach out), with the streamed chat, tool cards,
// Stop, the approval card, exact resume after a reconnection and a compact live task list. A script
// tag with data-taskstream-bubble adds one as a floating bubble. It speaks to the server through the
// client demo's own protocol code (api.ts, chat-session.ts, room-state.ts), not a copy.
import { ApiError, type MessageDto, type TaskDto, TaskstreamClient } from '../api.ts';
import { ChatSession } from '../chat-session.ts';
import { element } from '../dom.ts';
import type { RoomMessage } from '../room-state.ts';
import { renderMessages, updateStreamingText } from '../views/messages.ts';
import { widgetStyles } from './styles.ts';

/** Where this script came from: the server, unless the element names another. */
const scriptElement = document.currentScript as HTMLScriptElement | null;
const scriptOrigin = scriptElement?.src ? new URL(scriptElement.src).origin : location.origin;

/** How long the widget waits for the host page to answer `taskstream:auth-needed` before offering its own log-in. */
const tokenAnswerMs = 15_000;

const plainText = (target: HTMLElement, text: string) => {
  target.textContent = text;
};

export class TaskstreamChat extends HTMLElement {
  static readonly observedAttributes = ['token', 'accent', 'conversation'];

  private readonly root = this.attachShadow({ mode: 'open' });
  private client: TaskstreamClient | undefined;
  private chat: ChatSession | undefined;
  private tasks = new Map<string, TaskDto>();
  private connectedOnce = false;
  private started = false;
  private answerToken: ((token: string | undefined) => void) | undefined;
  /** Its parts, built once it is in the page (a floating one has a bubble: attributes are read then, not in the constructor). */
  private ui!: ReturnType<TaskstreamChat['build']>;

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    this.ui = this.build();
    this.applyAccent();
    void this.start();
  }

  attributeChangedCallback(name: string, previous: string | null, value: string | null): void {
    if (!this.started || previous === value) return;
    if (name === 'accent') this.applyAccent();
    if (name === 'token' && value) {
      // The host's answer to taskstream:auth-needed, or a token it changed by itself.
      if (this.answerToken) this.answerToken(value);
      else void this.start();
    }
    if (name === 'conversation' && value && this.chat) void this.chat.open(value);
  }

  /** Opens the floating panel (a bubble's), focusing the message box. */
  open(): void {
    this.ui.panel.hidden = false;
    this.ui.launcher.setAttribute('aria-expanded', 'true');
    (this.ui.login.hidden ? this.ui.input : this.ui.email).focus();
  }

  /** Closes the floating panel, focus back on the bubble. */
  close(): void {
    if (!this.hasAttribute('floating')) return;
    this.ui.panel.hidden = true;
    this.ui.launcher.setAttribute('aria-expanded', 'false');
    this.ui.launcher.focus();
  }

  private get server(): string {
    return (this.getAttribute('server') || scriptOrigin).replace(/\/+$/, '');
  }

  private build() {
    const floating = this.hasAttribute('floating');
    const style = element('style', { textContent: widgetStyles });
    const status = element('span', { className: 'status', testid: 'widget-status', textContent: 'connecting' });
    const closeButton = element('button', {
      type: 'button',
      className: 'icon',
      ariaLabel: 'Close the task assistant',
      textContent: '×',
      onclick: () => this.close(),
    });
    const header = element('header', {}, element('h2', { id: 'ts-title', textContent: 'Task assistant' }), status, ...(floating ? [closeButton] : []));
    const email = element('input', { type: 'email', autocomplete: 'email', required: true, testid: 'widget-email' });
    const password = element('input', { type: 'password', autocomplete: 'current-password', required: true, testid: 'widget-password' });
    const loginError = element('p', { className: 'error', role: 'alert' });
    const login = element(
      'form',
      { className: 'login', hidden: true, onsubmit: (event: SubmitEvent) => this.logIn(event) },
      element('p', { textContent: 'Sign in to talk to your task assistant.' }),
      element('label', {}, 'Email', email),
      element('label', {}, 'Password', password),
      element('button', { type: 'submit', className: 'primary', testid: 'widget-login', textContent: 'Sign in' }),
      loginError,
    );
    const taskList = element('ul', { className: 'tasks', testid: 'widget-tasks', ariaLabel: 'Your tasks' });
    const messages = element('ol', { className: 'messages', testid: 'widget-messages', ariaLabel: 'Conversation', ariaLive: 'polite' });
    const input = element('textarea', { rows: 1, placeholder: 'Ask about your tasks…', ariaLabel: 'Message', testid: 'widget-input' });
    const stop = element('button', { type: 'button', testid: 'widget-stop', textContent: 'Stop', disabled: true, onclick: () => this.chat?.stop() });
    const composer = element(
      'form',
      { className: 'composer', onsubmit: (event: SubmitEvent) => this.submit(event) },
      input,
      element('button', { type: 'submit', className: 'primary', testid: 'widget-send', textContent: 'Send' }),
      stop,
    );
    const chatArea = element(
      'div',
      { className: 'chat', hidden: true },
      element('h3', { className: 'label', textContent: 'Tasks' }),
      taskList,
      messages,
      composer,
    );
    const panel = element('section', { className: 'panel', testid: 'widget-panel' }, header, login, chatArea);
    panel.setAttribute('role', floating ? 'dialog' : 'region');
    panel.setAttribute('aria-labelledby', 'ts-title');
    panel.id = 'ts-panel';
    const launcher = element('button', {
      type: 'button',
      className: 'launcher',
      testid: 'widget-launcher',
      ariaLabel: 'Open the task assistant',
      textContent: '💬',
      onclick: () => (panel.hidden ? this.open() : this.close()),
    });
    launcher.setAttribute('aria-controls', 'ts-panel');
    launcher.setAttribute('aria-expanded', 'false');
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit();
      }
    });
    this.root.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Escape' && !panel.hidden) this.close();
    });
    if (floating) panel.hidden = true;
    // Everything inside one frame that starts from nothing: the page may style the host element itself.
    this.root.append(style, element('div', { className: 'frame' }, ...(floating ? [launcher] : []), panel));
    return { panel, launcher, status, login, email, password, loginError, chatArea, taskList, messages, input, stop };
  }

  private applyAccent() {
    const accent = this.getAttribute('accent');
    // Only a colour CSS can read reaches the stylesheet.
    if (accent && CSS.supports('color', accent)) this.style.setProperty('--ts-accent', accent);
  }

  /** Signs in with the token given, a session this browser kept, or its own log-in form. */
  private async start(): Promise<void> {
    const client = new TaskstreamClient(this.server, `taskstream.widget@${this.server}`);
    this.client?.socket?.close();
    this.client = client;
    const token = this.getAttribute('token');
    if (token) {
      client.useToken(token, () => this.askForToken('expired'));
      return this.enter();
    }
    if (client.hasSession && (await client.resume().catch(() => undefined))) return this.enter();
    this.showLogin();
  }

  private showLogin() {
    this.ui.login.hidden = false;
    this.ui.chatArea.hidden = true;
    this.ui.status.textContent = 'signed out';
    this.dispatch('taskstream:auth-needed', { reason: this.getAttribute('token') ? 'expired' : 'missing' });
  }

  /** Asks the host page for a new token: it answers by setting `token` (or calling `detail.setToken`). */
  private askForToken(reason: 'expired' | 'missing'): Promise<string | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), tokenAnswerMs);
      const settle = (token: string | undefined) => {
        clearTimeout(timer);
        this.answerToken = undefined;
        if (!token) this.showLogin();
        resolve(token);
      };
      this.answerToken = settle;
      this.dispatch('taskstream:auth-needed', {
        reason,
        setToken: (value: string) => {
          this.setAttribute('token', value);
          this.answerToken?.(value);
        },
      });
    });
  }

  private async logIn(event: SubmitEvent) {
    event.preventDefault();
    this.ui.loginError.textContent = '';
    try {
      await this.client!.login(this.ui.email.value, this.ui.password.value);
      await this.enter();
    } catch (error) {
      this.ui.loginError.textContent = error instanceof ApiError && error.status === 401 ? 'Wrong email or password.' : String((error as Error).message);
    }
  }

  private async enter(): Promise<void> {
    const client = this.client!;
    this.ui.login.hidden = true;
    this.ui.chatArea.hidden = false;
    const view = { list: this.ui.messages, stop: this.ui.stop, renderText: plainText };
    const chat: ChatSession = new ChatSession(client, {
      render: () => renderMessages(chat.room, actions, view),
      text: (message: RoomMessage) => updateStreamingText(this.ui.messages, message),
      resync: () => void chat.reopen(),
    });
    const actions = {
      edit: (message: RoomMessage) => chat.edit(message, window.prompt('Edit your message', message.content)?.trim() ?? ''),
      regenerate: () => chat.regenerate(),
      answer: (approved: boolean) => chat.answer(approved),
    };
    this.chat = chat;
    this.connectedOnce = false;
    const socket = client.connect((state) => {
      this.ui.status.textContent = state;
    });
    chat.listen();
    socket.on('connect', () => {
      // Back after a drop: what was missed, exactly, and the tasks as they are now.
      if (this.connectedOnce) void Promise.all([chat.reopen(), this.loadTasks()]);
      this.connectedOnce = true;
    });
    socket.on('task:created', ({ task }) => {
      this.showTask(task);
      this.dispatch('taskstream:task-created', { task });
    });
    socket.on('task:updated', ({ task }) => this.showTask(task));
    socket.on('task:deleted', ({ id }) => {
      this.tasks.delete(id);
      this.drawTasks();
    });
    // A message of the open conversation (or of the one its first message is making, not yet acked).
    const settled = (message: MessageDto) => {
      if (message.conversation_id === (chat.conversationId ?? message.conversation_id)) this.dispatch('taskstream:message', { message });
    };
    socket.on('message:new', ({ message }) => settled(message));
    socket.on('assistant:done', ({ message }) => settled(message));
    renderMessages(chat.room, actions, view);
    const conversation = this.getAttribute('conversation');
    await Promise.all([this.loadTasks(), conversation ? chat.open(conversation).catch(() => undefined) : undefined]);
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const content = this.ui.input.value.trim();
    if (!content || !this.chat) return;
    this.ui.input.value = '';
    if (!(await this.chat.send(content))) this.ui.input.value = content;
  }

  // ---- the compact task list: pending tasks of the user's lists, or of the list named ----
  private async loadTasks() {
    const { tasks } = await this.client!.listTasks('pending', this.getAttribute('list') ?? undefined);
    this.tasks = new Map(tasks.map((task) => [task.id, task]));
    this.drawTasks();
  }

  private showTask(task: TaskDto) {
    const list = this.getAttribute('list');
    if ((list && task.list_id !== list) || task.status === 'completed' || task.archived_at) this.tasks.delete(task.id);
    else this.tasks.set(task.id, task);
    this.drawTasks();
  }

  private drawTasks() {
    const items = [...this.tasks.values()].map((task) =>
      element(
        'li',
        { testid: 'widget-task' },
        element(
          'label',
          {},
          element('input', {
            type: 'checkbox',
            onchange: () => void this.client!.setCompleted(task.id, true).catch(() => this.drawTasks()),
          }),
          ` ${task.title}`,
        ),
      ),
    );
    this.ui.taskList.replaceChildren(...(items.length ? items : [element('li', { className: 'empty', textContent: 'Nothing pending.' })]));
  }

  private dispatch(name: string, detail: Record<string, unknown>) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('taskstream-chat')) customElements.define('taskstream-chat', TaskstreamChat);

// <script src="…/widget.js" data-taskstream-bubble data-token="…">: one floating chat, its attributes from the script's.
if (scriptElement && 'taskstreamBubble' in scriptElement.dataset) {
  const bubble = document.createElement('taskstream-chat');
  bubble.setAttribute('floating', '');
  for (const name of ['server', 'token', 'conversation', 'theme', 'accent', 'list']) {
    const value = scriptElement.dataset[name];
    if (value) bubble.setAttribute(name, value);
  }
  const place = () => document.body.append(bubble);
  if (document.body) place();
  else document.addEventListener('DOMContentLoaded', place, { once: true });
}
