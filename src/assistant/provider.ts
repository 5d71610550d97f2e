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
  /**
   * Runs one model round: hands each text delta to `onText` the moment it arrives, and resolves with
   * the round's tool calls (none when the model answered). Text is pushed rather than iterated, so a
   * delta costs a function call between the model and the emit, not an async step per layer.
   */
  stream(request: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]>;
}
