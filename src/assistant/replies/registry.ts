// The replies of this instance, per conversation, from the moment their message is stored until
// they are final: the first streams, the rest wait their turn.
import { ActiveReply } from './active-reply.ts';

export class ReplyRegistry {
  private readonly byConversation = new Map<string, ActiveReply[]>();

  add(conversationId: string, messageId: string, decision?: ActiveReply['decision']): ActiveReply {
    const reply = new ActiveReply(conversationId, messageId, decision);
    this.byConversation.set(conversationId, [...(this.byConversation.get(conversationId) ?? []), reply]);
    return reply;
  }

  remove(reply: ActiveReply): void {
    const rest = (this.byConversation.get(reply.conversationId) ?? []).filter((other) => other !== reply);
    if (rest.length) this.byConversation.set(reply.conversationId, rest);
    else this.byConversation.delete(reply.conversationId);
  }

  /** The reply streaming in a conversation, or the next one to. */
  first(conversationId: string): ActiveReply | undefined {
    return this.byConversation.get(conversationId)?.[0];
  }

  /** Ends the replies of one conversation (or of all), streaming or queued, for `reason`. */
  abort(reason: string, conversationId?: string): void {
    const lists = conversationId === undefined ? [...this.byConversation.values()] : [this.byConversation.get(conversationId) ?? []];
    for (const replies of lists) for (const reply of replies) reply.controller.abort(reason);
  }

  /** Replies at the head of their conversation (streaming, or waiting for the user's slot), and those queued behind them. */
  counts(): { generating: number; queued: number } {
    const generating = this.byConversation.size;
    let total = 0;
    for (const replies of this.byConversation.values()) total += replies.length;
    return { generating, queued: total - generating };
  }

  all(): ActiveReply[] {
    return [...this.byConversation.values()].flat();
  }

  conversations(): string[] {
    return [...this.byConversation.keys()];
  }
}
