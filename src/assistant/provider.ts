// The seam between the agent loop and a language model: a stream of text and tool calls.

export interface ProviderToolCall {
  id: string;
  name: string;
  /** Raw JSON text as the model wrote it; the agent parses and validates it. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ProviderToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export type ProviderEvent = { type: 'text'; text: string } | { type: 'tool_calls'; calls: ProviderToolCall[] };

export interface ProviderRequest {
  messages: ChatMessage[];
  tools: ToolSpec[];
  signal: AbortSignal;
  /** The moment of the turn and the user's IANA zone, which relative dates are read in. */
  now: Date;
  timeZone: string;
}

export interface AssistantProvider {
  readonly name: string;
  /** Streams one model round: text deltas as they come, then the round's tool calls (if any). */
  stream(request: ProviderRequest): AsyncIterable<ProviderEvent>;
}
