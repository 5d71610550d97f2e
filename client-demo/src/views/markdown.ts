// The assistant's text as Markdown (marked), safely: HTML in the text is shown as text, never read
// as markup, and what marked makes is sanitized (DOMPurify) before it reaches the page.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const markdown = new Marked({ gfm: true, breaks: true, async: false });
// Raw HTML in a message is text.
markdown.use({ renderer: { html: ({ text }) => escapeHtml(text) } });

/** Fills `target` with `text` rendered as Markdown: links open in a new tab without the opener. */
export function renderMarkdown(target: HTMLElement, text: string): void {
  const html = DOMPurify.sanitize((markdown.parse(text) as string).trim(), { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input'] });
  target.innerHTML = html;
  target.classList.add('markdown');
  for (const link of target.querySelectorAll('a')) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
}
