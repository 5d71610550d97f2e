// A small page built with the AI SDK (`ai`), as a front end on another origin would use it: its
// DefaultChatTransport posts to taskstream's /api/chat/ui, its readUIMessageStream builds the
// reply, which the page shows as it grows.
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';

const params = new URLSearchParams(location.search);
const transport = new DefaultChatTransport({ api: `${params.get('server')}/api/chat/ui`, headers: { authorization: `Bearer ${params.get('token')}` } });
const messages: UIMessage[] = [];
const output = document.querySelector<HTMLElement>('#reply')!;

document.querySelector<HTMLFormElement>('form')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.querySelector<HTMLInputElement>('input')!;
  messages.push({ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: input.value }] });
  const stream = await transport.sendMessages({ chatId: 'page-chat', trigger: 'submit-message', messageId: undefined, messages, abortSignal: undefined });
  for await (const reply of readUIMessageStream({ stream })) {
    output.textContent = reply.parts
      .flatMap((part) =>
        part.type === 'text' ? [part.text] : part.type.startsWith('tool-') ? [`[${part.type.slice(5)}: ${(part as { state: string }).state}]`] : [],
      )
      .join(' ');
  }
  output.dataset.done = 'true';
});
