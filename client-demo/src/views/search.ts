// The sidebar's search: the user's conversations and messages by full-text search, a hit opens its conversation.
import type { SearchResult, TaskstreamClient } from '../api.ts';
import { $, byTestId, element, showError } from '../dom.ts';

/** A snippet as the server sends it (escaped text, matches in <mark>) as DOM nodes, never as HTML. */
function snippetNodes(snippet: string): Node[] {
  const decode = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  return snippet.split(/(<mark>.*?<\/mark>)/).map((part) => {
    const marked = /^<mark>(.*)<\/mark>$/.exec(part);
    return marked ? element('mark', { textContent: decode(marked[1]!) }) : document.createTextNode(decode(part));
  });
}

export function mountSearch(client: TaskstreamClient, open: (result: SearchResult) => void): void {
  const results = byTestId('search-results');
  $<HTMLFormElement>('#search-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = byTestId<HTMLInputElement>('search-input').value.trim();
    results.replaceChildren();
    if (!q) return;
    try {
      const found = await client.search(q);
      results.replaceChildren(
        ...found.results.map((result) =>
          element(
            'li',
            {},
            element(
              'button',
              { type: 'button', className: 'hit', testid: 'search-result', onclick: () => open(result) },
              element('strong', { textContent: result.conversation.title }),
              element('span', { className: 'snippet' }, ...snippetNodes(result.snippet)),
            ),
          ),
        ),
      );
      if (found.results.length === 0) results.append(element('li', { className: 'empty', textContent: 'Nothing found' }));
    } catch (error) {
      showError(results, error);
    }
  });
}
