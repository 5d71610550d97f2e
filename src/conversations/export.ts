// A conversation as a file: Markdown to read, JSON to keep or move; written a batch of messages at a time.
import type { DownloadFile } from '../http/downloads.ts';
import type { ConversationDto, MessageDto } from './conversations.schemas.ts';

export const conversationExportFormats = ['markdown', 'json'] as const;
export type ConversationExportFormat = (typeof conversationExportFormats)[number];

/** A file-name-safe form of a title. */
const slug = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .slice(0, 60)
    .toLowerCase() || 'conversation';

/**
 * Text as Markdown shows it, literally: every character CommonMark gives a meaning is escaped, and so
 * are the line starts that open a block (a heading, a quote, a list, a fence, a rule), so no title or
 * message can forge a heading of the export or leave a code fence open over the rest of it.
 */
export const escapeMarkdown = (text: string) =>
  text
    .replace(/[\\`*_[\]<>|~&]/g, '\\$&')
    .replace(/^([ \t]*)([-+=#])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2');

function markdownMessage(message: MessageDto): string {
  const lines = [
    `## ${message.role === 'user' ? 'You' : 'Assistant'} · ${message.created_at}${message.status === 'complete' ? '' : ` (${message.status})`}`,
    '',
  ];
  for (const call of message.tool_calls ?? []) {
    const result = message.tool_results?.find((candidate) => candidate.tool_call_id === call.id);
    const outcome = result ? ` → ${result.ok ? 'ok' : `error: ${escapeMarkdown(result.error ?? '')}`}` : '';
    // A tool's name is one of ours (letters and underscores): a code span holds it as it is.
    lines.push(`> 🔧 \`${call.name}\` ${escapeMarkdown(JSON.stringify(call.arguments))}${outcome}`);
  }
  if (message.tool_calls?.length) lines.push('');
  lines.push(message.content ? escapeMarkdown(message.content) : '_(no text)_', '');
  return `${lines.join('\n')}\n`;
}

async function* toMarkdown(conversation: ConversationDto, batches: AsyncIterable<MessageDto[]>): AsyncGenerator<string> {
  yield `# ${escapeMarkdown(conversation.title)}\n\n_Exported from taskstream on ${new Date().toISOString()}_\n\n`;
  for await (const batch of batches) yield batch.map(markdownMessage).join('');
}

/** `{"conversation": …, "messages": [...]}`, laid out as JSON.stringify(…, null, 2) would, one message at a time. */
async function* toJson(conversation: ConversationDto, batches: AsyncIterable<MessageDto[]>): AsyncGenerator<string> {
  const indent = (value: unknown, depth: string) => JSON.stringify(value, null, 2).replaceAll('\n', `\n${depth}`);
  yield `{\n  "conversation": ${indent(conversation, '  ')},\n  "messages": [`;
  let count = 0;
  for await (const batch of batches) yield batch.map((message) => `${count++ ? ',' : ''}\n    ${indent(message, '    ')}`).join('');
  yield count ? '\n  ]\n}\n' : ']\n}\n';
}

export function exportConversation(conversation: ConversationDto, messages: AsyncIterable<MessageDto[]>, format: ConversationExportFormat): DownloadFile {
  if (format === 'json') return { body: toJson(conversation, messages), type: 'application/json; charset=utf-8', fileName: `${slug(conversation.title)}.json` };
  return { body: toMarkdown(conversation, messages), type: 'text/markdown; charset=utf-8', fileName: `${slug(conversation.title)}.md` };
}
