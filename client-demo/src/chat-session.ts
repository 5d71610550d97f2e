// One open conversation over the socket, for any view of it (the client demo, the chat widget): its
// room state, the join with exact resume (events arriving meanwhile are held, then applied past the
// snapshot), sending, stopping and answering approvals. The view says how to draw a change.
import { ApiError, type ConversationDto, type TaskstreamClient } from './api.ts';
import { applyEvent, emptyRoom, joined, type Room, type RoomEvent, type RoomMessage, roomEvents, withMessage, withNotice, withReply } from './room-state.ts';

export interface ChatView {
  /** Draw the whole conversation anew. */
  render(): void;
  /** Only the streaming message's text changed: false when it is not drawn yet (then `render` follows). */
  text(message: RoomMessage): boolean;
  /** A gap in a reply's deltas (or a reconnection): catch up, `reopen` included. */
  resync(): void;
  /** The server told us about the conversation (joined, or created by a first message). */
  conversation?(conversation: ConversationDto | { id: string }): void;
}

export class ChatSession {
  /** The open conversation (its id is empty until a first message creates it). */
  room: Room = emptyRoom('');
  private buffering = false;
  private buffer: RoomEvent[] = [];

  constructor(
    private readonly client: TaskstreamClient,
    private readonly view: ChatView,
  ) {}

  get conversationId(): string | undefined {
    return this.room.conversationId || undefined;
  }

  /** Follows the room events of the socket the client just connected. */
  listen(): void {
    const socket = this.client.socket!;
    for (const name of roomEvents) socket.on(name, (payload: RoomEvent['payload']) => this.onEvent({ name, payload } as RoomEvent));
  }

  /** Leaves the open conversation for a new one, made by the next message. */
  startNew(): void {
    const open = this.conversationId;
    if (open) void this.client.leave(open).catch(() => undefined);
    this.room = emptyRoom('');
    this.view.render();
  }

  /** Joins a conversation's room; with `afterMessageId`, only fetches what came after it. */
  async open(id: string, afterMessageId?: string): Promise<void> {
    const open = this.conversationId;
    if (open && open !== id) void this.client.leave(open).catch(() => undefined);
    if (open !== id) this.room = emptyRoom(id);
    this.hold();
    try {
      let ack = await this.client.join(id, afterMessageId);
      // The anchor left the conversation (an edit, a regenerated reply): reload the latest page instead.
      if (!ack.ok && ack.error.code === 'NOT_FOUND' && afterMessageId) {
        afterMessageId = undefined;
        ack = await this.client.join(id);
      }
      if (!ack.ok) throw new Error(ack.error.message);
      const missed = [...ack.messages];
      for (let more = ack.has_more && afterMessageId !== undefined; more && missed.length > 0; ) {
        const page = await this.client.messagesAfter(id, missed.at(-1)!.id);
        missed.push(...page.messages);
        more = page.has_more;
      }
      this.room = joined(this.room, ack, missed, afterMessageId);
      this.view.conversation?.(ack.conversation);
    } finally {
      this.release();
    }
    this.view.render();
  }

  /** Joins the open conversation again, fetching only what came after the last settled message. */
  reopen(): Promise<void> {
    const id = this.conversationId;
    if (!id) return Promise.resolve();
    const settled = [...this.room.messages].reverse().find((message) => message.status !== 'streaming');
    return this.open(id, settled?.id);
  }

  /** Sends a message; false (with a notice in the conversation) when it did not go. */
  async send(content: string): Promise<boolean> {
    const creating = !this.conversationId;
    // Until the ack names the new conversation, keep its room events.
    if (creating) this.hold();
    let sent = true;
    try {
      const ack = await this.client.send(content, this.conversationId, crypto.randomUUID());
      if (!ack.ok) throw new ApiError(0, ack.error.code, ack.error.message);
      if (creating) {
        this.room = { ...this.room, conversationId: ack.conversationId };
        this.view.conversation?.({ id: ack.conversationId });
      }
      this.room = withReply(withMessage(this.room, ack.message), ack.assistantMessageId);
    } catch (error) {
      sent = false;
      this.room = withNotice(this.room, `Not sent: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (creating) this.release();
    }
    this.view.render();
    return sent;
  }

  stop(): void {
    const open = this.conversationId;
    if (open) void this.client.stop(open);
  }

  /** Runs a socket command for the open conversation; a refusal shows as a notice in it. */
  async command(run: (conversationId: string) => Promise<{ ok: boolean; error?: { message: string } }>): Promise<void> {
    const open = this.conversationId;
    const ack = open && (await run(open).catch((error: Error) => ({ ok: false, error: { message: error.message } })));
    if (ack && !ack.ok) this.room = withNotice(this.room, ack.error?.message ?? 'Refused');
    this.view.render();
  }

  /** Puts new text in one of the user's messages (the conversation after it goes, and a new reply comes). */
  edit(message: RoomMessage, content: string): void {
    if (content && content !== message.content) void this.command((id) => this.client.edit(id, message.id, content));
  }

  /** A new reply in place of the last one. */
  regenerate(): void {
    void this.command((id) => this.client.regenerate(id));
  }

  /** Approves or declines the call waiting for the user. */
  answer(approved: boolean): void {
    const pending = this.room.pending;
    if (pending) void this.command((id) => this.client.approve(id, pending.toolCallId, approved));
  }

  private hold() {
    this.buffering = true;
    this.buffer = [];
  }

  private release() {
    this.buffering = false;
    for (const event of this.buffer.splice(0)) if (event.payload.conversationId === this.conversationId) this.apply(event);
  }

  private onEvent(event: RoomEvent) {
    if (this.buffering) this.buffer.push(event);
    else if (event.payload.conversationId === this.conversationId) this.apply(event);
  }

  private apply(event: RoomEvent) {
    const { room, effect } = applyEvent(this.room, event);
    this.room = room;
    if (effect.kind === 'render') this.view.render();
    else if (effect.kind === 'text' && !this.view.text(effect.message)) this.view.render();
    else if (effect.kind === 'resync') this.view.resync();
  }
}
