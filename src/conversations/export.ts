// A conversation as a file: Markdown to read, JSON to keep or move.
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

function toMarkdown(conversation: ConversationDto, messages: MessageDto[]): string {
  const lines = [`# ${conversation.title}`, '', `_Exported from taskstream on ${new Date().toISOString()}_`, ''];
  for (const message of messages) {
    lines.push(`## ${message.role === 'user' ? 'You' : 'Assistant'} · ${message.created_at}${message.status === 'complete' ? '' : ` (${message.status})`}`, '');
    for (const call of message.tool_calls ?? []) {
      const result = message.tool_results?.find((candidate) => candidate.tool_call_id === call.id);
      lines.push(`> 🔧 \`${call.name}\` ${JSON.stringify(call.arguments)}${result ? ` → ${result.ok ? 'ok' : `error: ${result.error}`}` : ''}`);
    }
    if (message.tool_calls?.length) lines.push('');
    lines.push(message.content || '_(no text)_', '');
  }
  return lines.join('\n');
}

export function exportConversation(conversation: ConversationDto, messages: MessageDto[], format: ConversationExportFormat): DownloadFile {
  if (format === 'json')
    return {
      body: `${JSON.stringify({ conversation, messages }, null, 2)}\n`,
      type: 'application/json; charset=utf-8',
      fileName: `${slug(conversation.title)}.json`,
    };
  return { body: toMarkdown(conversation, messages), type: 'text/markdown; charset=utf-8', fileName: `${slug(conversation.title)}.md` };
}
