// The reference client: every REST call and socket event of taskstream goes through this module.
import { io, type Socket } from 'socket.io-client';
import type { AttachmentDto } from '../../src/attachments/attachments.schemas.ts';
import type { PersonalTokenDto, UserDto } from '../../src/auth/auth.schemas.ts';
import type { CommentDto } from '../../src/comments/comments.schemas.ts';
import type { ConversationDto, MessageDto, PendingApproval, SearchResult } from '../../src/conversations/conversations.schemas.ts';
import type { InvitationDto, ListDto, MemberDto, ReceivedInvitationDto } from '../../src/lists/lists.schemas.ts';
import type { ClientToServerEvents, JoinAck, SendAck, ServerToClientEvents } from '../../src/realtime/events.ts';
import type { ReminderDto } from '../../src/reminders/reminders.schemas.ts';
import type { ChangeDto, TaskDto } from '../../src/tasks/tasks.schemas.ts';

export type {
  AttachmentDto,
  ChangeDto,
  CommentDto,
  ConversationDto,
  InvitationDto,
  JoinAck,
  ListDto,
  MemberDto,
  MessageDto,
  PendingApproval,
  PersonalTokenDto,
  ReceivedInvitationDto,
  ReminderDto,
  SearchResult,
  ServerToClientEvents,
  TaskDto,
  UserDto,
};

/** The browser's IANA zone, e.g. "Europe/Berlin". */
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Asked for a new token when the one in use stops working: the host page's answer, or undefined. */
export type TokenSource = () => Promise<string | undefined>;

export class TaskstreamClient {
  private accessToken: string | undefined;
  private refreshing: Promise<boolean> | undefined;
  private tokenSource: TokenSource | undefined;
  socket: ClientSocket | undefined;

  /**
   * `baseUrl`: the server ('' for the page's own origin). `refreshKey`: where this browser keeps the
   * session's refresh token (the chat widget keeps one per server, apart from the demo's).
   */
  constructor(
    private readonly baseUrl = '',
    private readonly refreshKey = 'taskstream.refreshToken',
  ) {}

  get hasSession(): boolean {
    return Boolean(localStorage.getItem(this.refreshKey));
  }

  /**
   * Works with a token someone else holds (an access token or a personal token the host page of the
   * chat widget passes) instead of a session of its own: when it stops working, `source` is asked for another.
   */
  useToken(token: string, source: TokenSource): void {
    this.accessToken = token;
    this.tokenSource = source;
  }

  // ---- auth ----
  async signup(email: string, password: string, name?: string): Promise<UserDto> {
    const body = { email, password, timezone: browserTimeZone(), ...(name ? { name } : {}) };
    return this.startSession(await this.request('POST', '/api/auth/signup', body, false));
  }

  /** Keeps the account's zone the browser's, so the assistant reads "tomorrow" where the user is. */
  async followBrowserTimeZone(user: UserDto): Promise<UserDto> {
    const timezone = browserTimeZone();
    if (!timezone || timezone === user.timezone) return user;
    return (await this.request<{ user: UserDto }>('PATCH', '/api/auth/me', { timezone })).user;
  }

  async login(email: string, password: string): Promise<UserDto> {
    return this.startSession(await this.request('POST', '/api/auth/login', { email, password }, false));
  }

  /** Resumes the session kept in this browser; returns the user, or undefined when it is gone. */
  async resume(): Promise<UserDto | undefined> {
    if (!(await this.refresh())) return undefined;
    return (await this.request<{ user: UserDto }>('GET', '/api/auth/me')).user;
  }

  async logout(): Promise<void> {
    const refreshToken = localStorage.getItem(this.refreshKey);
    localStorage.removeItem(this.refreshKey);
    this.accessToken = undefined;
    this.socket?.close();
    this.socket = undefined;
    if (refreshToken) await this.request('POST', '/api/auth/logout', { refreshToken }, false).catch(() => undefined);
  }

  // ---- tasks ----
  /** The tasks of one list, or of every list of the user; a view of the day (in the user's zone) sorted by due date. */
  listTasks(status: 'all' | 'pending' | 'completed', listId?: string, due?: 'today' | 'overdue' | 'upcoming') {
    return this.request<{ tasks: TaskDto[]; next_cursor: string | null }>(
      'GET',
      `/api/tasks?status=${status}&sort=${due ? 'due_date' : 'created_at'}&limit=200${listId ? `&list_id=${listId}` : ''}${due ? `&due=${due}` : ''}`,
    );
  }
  snoozeReminder(id: string, minutes: number) {
    return this.request<{ reminder: ReminderDto }>('POST', `/api/reminders/${id}/snooze`, { minutes });
  }
  /** A task in a list (the personal one when none is given). */
  createTask(title: string, listId?: string) {
    return this.request<{ task: TaskDto }>('POST', '/api/tasks', { title, ...(listId ? { list_id: listId } : {}) });
  }
  setCompleted(id: string, completed: boolean) {
    return this.request<{ task: TaskDto }>('PATCH', `/api/tasks/${id}/complete`, { completed });
  }
  deleteTask(id: string) {
    return this.request<null>('DELETE', `/api/tasks/${id}`);
  }
  /** Puts a task right before or after another of its list. */
  moveTask(id: string, anchor: { before: string } | { after: string }) {
    return this.request<{ task: TaskDto }>('POST', `/api/tasks/${id}/move`, anchor);
  }
  taskHistory(id: string) {
    return this.request<{ history: ChangeDto[]; next_cursor: string | null }>('GET', `/api/tasks/${id}/history?limit=50`);
  }
  /** Undoes one of the user's changes (the latest when none is named). */
  undo(changeId?: string) {
    return this.request<{ undone: ChangeDto; task: TaskDto | null }>('POST', '/api/undo', changeId ? { change_id: changeId } : {});
  }

  // ---- a task's comments and files ----
  listComments(taskId: string) {
    return this.request<{ comments: CommentDto[] }>('GET', `/api/tasks/${taskId}/comments`);
  }
  addComment(taskId: string, body: string) {
    return this.request<{ comment: CommentDto }>('POST', `/api/tasks/${taskId}/comments`, { body });
  }
  deleteComment(id: string) {
    return this.request<null>('DELETE', `/api/comments/${id}`);
  }
  listAttachments(taskId: string) {
    return this.request<{ attachments: AttachmentDto[] }>('GET', `/api/tasks/${taskId}/attachments`);
  }
  removeAttachment(id: string) {
    return this.request<null>('DELETE', `/api/attachments/${id}`);
  }
  /** A file's bytes (for a thumbnail, or to save): fetched with the token, which an <img> or a link cannot send. */
  async attachmentBlob(id: string): Promise<Blob> {
    const response = await this.fetch('GET', `/api/attachments/${id}`);
    if (!response.ok) throw await apiError(response);
    return response.blob();
  }
  /**
   * Uploads a file to a task as multipart/form-data, telling `onProgress` the share sent (0–1):
   * XMLHttpRequest, since fetch reports no upload progress. Refreshes the token and retries once on a 401.
   */
  async uploadAttachment(taskId: string, file: File, onProgress: (sent: number) => void, retried = false): Promise<AttachmentDto> {
    const form = new FormData();
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    const done = new Promise<void>((resolve, reject) => {
      xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
      xhr.onload = () => resolve();
      xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'The upload did not get through'));
    });
    xhr.open('POST', `${this.baseUrl}/api/tasks/${taskId}/attachments`);
    if (this.accessToken) xhr.setRequestHeader('authorization', `Bearer ${this.accessToken}`);
    xhr.send(form);
    await done;
    if (xhr.status === 401 && !retried && (await this.refresh())) return this.uploadAttachment(taskId, file, onProgress, true);
    const json = xhr.responseText ? JSON.parse(xhr.responseText) : null;
    if (xhr.status !== 201) throw toApiError(xhr.status, xhr.statusText, json);
    return json.attachment;
  }

  // ---- lists and sharing ----
  listLists() {
    return this.request<{ lists: ListDto[] }>('GET', '/api/lists');
  }
  createList(name: string) {
    return this.request<{ list: ListDto }>('POST', '/api/lists', { name });
  }
  listMembers(listId: string) {
    return this.request<{ members: MemberDto[]; invitations: InvitationDto[] }>('GET', `/api/lists/${listId}/members`);
  }
  invite(listId: string, email: string, role: 'editor' | 'viewer') {
    return this.request<{ invitation: InvitationDto }>('POST', `/api/lists/${listId}/invitations`, { email, role });
  }
  revokeInvitation(listId: string, invitationId: string) {
    return this.request<null>('DELETE', `/api/lists/${listId}/invitations/${invitationId}`);
  }
  /** Removes a member (the owner), or leaves the list (one's own id). */
  removeMember(listId: string, userId: string) {
    return this.request<null>('DELETE', `/api/lists/${listId}/members/${userId}`);
  }
  receivedInvitations() {
    return this.request<{ invitations: ReceivedInvitationDto[] }>('GET', '/api/invitations');
  }
  answerInvitation(id: string, accept: boolean) {
    return this.request<{ list: ListDto } | null>('POST', `/api/invitations/${id}/${accept ? 'accept' : 'decline'}`);
  }

  // ---- conversations ----
  listConversations() {
    return this.request<{ conversations: ConversationDto[]; next_cursor: string | null }>('GET', '/api/conversations?limit=100');
  }
  createConversation() {
    return this.request<{ conversation: ConversationDto }>('POST', '/api/conversations', {});
  }
  renameConversation(id: string, title: string) {
    return this.request<{ conversation: ConversationDto }>('PATCH', `/api/conversations/${id}`, { title });
  }
  deleteConversation(id: string) {
    return this.request<null>('DELETE', `/api/conversations/${id}`);
  }
  /** The messages after `afterMessageId`, a page at a time (a catch-up longer than the join's page). */
  messagesAfter(id: string, afterMessageId: string) {
    return this.request<{ messages: MessageDto[]; has_more: boolean }>('GET', `/api/conversations/${id}/messages?after=${afterMessageId}&limit=100`);
  }

  search(q: string) {
    return this.request<{ results: SearchResult[]; next_cursor: string | null }>('GET', `/api/search?q=${encodeURIComponent(q)}&limit=20`);
  }
  updateProfile(patch: { timezone?: string; confirm_destructive?: boolean }) {
    return this.request<{ user: UserDto }>('PATCH', '/api/auth/me', patch);
  }

  /** Saves an export (`/api/.../export?format=…`) as the file the server names. */
  async download(path: string): Promise<void> {
    const response = await this.fetch('GET', path);
    if (!response.ok) throw await apiError(response);
    saveBlob(await response.blob(), /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'export');
  }

  // ---- personal access tokens (for scripts and MCP clients) ----
  listTokens() {
    return this.request<{ tokens: PersonalTokenDto[] }>('GET', '/api/tokens');
  }
  /** The answer holds the token's secret, shown this once; minting one asks for the password again. */
  createToken(name: string, password: string) {
    return this.request<{ token: PersonalTokenDto; secret: string }>('POST', '/api/tokens', { name, password });
  }
  revokeToken(id: string) {
    return this.request<null>('DELETE', `/api/tokens/${id}`);
  }

  // ---- socket ----
  connect(onState: (state: ConnectionState) => void): ClientSocket {
    this.socket?.close();
    let offered: string | undefined;
    const socket: ClientSocket = io(this.baseUrl || undefined, {
      path: '/socket.io',
      transports: ['websocket'],
      // Called on every (re)connection, so a refreshed access token is always used.
      auth: (send) => {
        offered = this.accessToken;
        send({ token: offered });
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 4_000,
    });
    onState('connecting');
    socket.on('connect', () => onState('connected'));
    socket.on('disconnect', (reason) => {
      // The server ends a socket when its access token expires (or when it restarts): come back,
      // refreshing the token on the way if the handshake says so.
      if (reason === 'io server disconnect' && this.socket === socket) socket.connect();
      onState(socket.active ? 'reconnecting' : 'offline');
    });
    socket.io.on('reconnect_attempt', () => onState('reconnecting'));
    socket.on('connect_error', async (error) => {
      // A token that changed since this handshake left is tried before asking for another.
      if (error.message === 'unauthorized' && (offered !== this.accessToken || (await this.refresh()))) socket.connect();
      else onState(socket.active ? 'reconnecting' : 'offline');
    });
    this.socket = socket;
    return socket;
  }

  join(conversationId: string, afterMessageId?: string): Promise<JoinAck> {
    return this.requireSocket()
      .timeout(10_000)
      .emitWithAck('conversation:join', { conversationId, ...(afterMessageId ? { afterMessageId } : {}) });
  }
  leave(conversationId: string) {
    return this.requireSocket().timeout(10_000).emitWithAck('conversation:leave', { conversationId });
  }
  send(content: string, conversationId: string | undefined, clientId: string): Promise<SendAck> {
    return this.requireSocket()
      .timeout(10_000)
      .emitWithAck('message:send', { content, clientId, ...(conversationId ? { conversationId } : {}) });
  }
  stop(conversationId: string) {
    return this.requireSocket().timeout(10_000).emitWithAck('assistant:stop', { conversationId });
  }
  edit(conversationId: string, messageId: string, content: string) {
    return this.requireSocket().timeout(10_000).emitWithAck('message:edit', { conversationId, messageId, content, clientId: crypto.randomUUID() });
  }
  regenerate(conversationId: string) {
    return this.requireSocket().timeout(10_000).emitWithAck('assistant:regenerate', { conversationId, clientId: crypto.randomUUID() });
  }
  approve(conversationId: string, toolCallId: string, approved: boolean) {
    return this.requireSocket().timeout(10_000).emitWithAck('tool:approve', { conversationId, toolCallId, approved });
  }

  private requireSocket(): ClientSocket {
    if (!this.socket) throw new ApiError(0, 'OFFLINE', 'Not connected');
    return this.socket;
  }

  private startSession(session: { user: UserDto; accessToken: string; refreshToken: string }): UserDto {
    this.accessToken = session.accessToken;
    localStorage.setItem(this.refreshKey, session.refreshToken);
    return session.user;
  }

  /** Trades the stored refresh token for new tokens (or asks the token's holder for another); concurrent callers share one attempt. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (this.tokenSource ? this.askForToken(this.tokenSource) : this.refreshSession()).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async askForToken(source: TokenSource): Promise<boolean> {
    const token = await source().catch(() => undefined);
    if (token) this.accessToken = token;
    return Boolean(token);
  }

  private async refreshSession(): Promise<boolean> {
    const refreshToken = localStorage.getItem(this.refreshKey);
    if (!refreshToken) return false;
    try {
      const tokens = await this.request<{ accessToken: string; refreshToken: string }>('POST', '/api/auth/refresh', { refreshToken }, false);
      this.accessToken = tokens.accessToken;
      localStorage.setItem(this.refreshKey, tokens.refreshToken);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) localStorage.removeItem(this.refreshKey);
      return false;
    }
  }

  /** A request with the access token, refreshed and retried once when the server says it expired. */
  private async fetch(method: string, path: string, body?: unknown, authenticated = true, retried = false): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = this.accessToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated && token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    // A token that changed while this request was out is tried before asking for another.
    if (response.status === 401 && authenticated && !retried && (token !== this.accessToken || (await this.refresh())))
      return this.fetch(method, path, body, authenticated, true);
    return response;
  }

  private async request<T>(method: string, path: string, body?: unknown, authenticated = true): Promise<T> {
    const response = await this.fetch(method, path, body, authenticated);
    if (!response.ok) throw await apiError(response);
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** Offers bytes the page holds to the browser as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** An error answer as an ApiError: its code, message and field details. */
function toApiError(status: number, statusText: string, json: { error?: { code?: string; message?: string; details?: ApiError['details'] } } | null) {
  const error = json?.error ?? {};
  return new ApiError(status, error.code ?? 'ERROR', error.message ?? statusText, error.details);
}

async function apiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's page): the status says it.
  }
  return toApiError(response.status, response.statusText, json);
}
