// Small DOM helpers shared by the client's views.

export const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
export const byTestId = <T extends HTMLElement>(id: string) => $<T>(`[data-testid="${id}"]`);

/** Creates an element with properties (textContent, onclick, ariaLabel…), a test id and data attributes. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { testid?: string; dataset?: Record<string, string>; [property: string]: unknown } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const { testid, dataset, ...rest } = props;
  const node: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), rest);
  if (testid) node.dataset.testid = testid;
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}

export function showError(target: HTMLElement, error: unknown) {
  target.textContent = error instanceof Error ? error.message : String(error);
}
