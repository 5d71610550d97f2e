// The "Connect an MCP client" panel: the MCP URL to paste, and personal access tokens to create
// (the secret shown once), copy and revoke.
import type { PersonalTokenDto, TaskstreamClient } from '../api.ts';
import { $ } from '../dom.ts';

function tokenItem(token: PersonalTokenDto, revoke: () => void): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.testid = 'token-item';
  const name = Object.assign(document.createElement('span'), { className: 'name', textContent: token.name, title: token.name });
  const used = Object.assign(document.createElement('span'), {
    className: 'used',
    textContent: token.last_used_at ? `used ${new Date(token.last_used_at).toLocaleString()}` : 'never used',
  });
  const button = Object.assign(document.createElement('button'), { type: 'button', className: 'link', textContent: 'Revoke' });
  button.setAttribute('aria-label', `Revoke ${token.name}`);
  button.dataset.testid = 'token-revoke';
  button.addEventListener('click', revoke);
  item.append(name, used, button);
  return item;
}

async function copy(input: HTMLInputElement): Promise<void> {
  input.select();
  await navigator.clipboard?.writeText(input.value).catch(() => undefined);
}

/** Wires the panel; returns what clears it when the user logs out (a secret must not outlive its user's view). */
export function mountTokensPanel(client: TaskstreamClient): { reset(): void } {
  const panel = $<HTMLDetailsElement>('[data-testid="tokens-panel"]');
  const list = $('[data-testid="token-list"]');
  const error = $('#token-error');
  const secretBox = $('[data-testid="token-secret-box"]');
  $<HTMLInputElement>('#mcp-url').value = `${location.origin}/mcp`;

  const refresh = async () => {
    error.textContent = '';
    try {
      const { tokens } = await client.listTokens();
      list.replaceChildren(
        ...tokens.map((token) =>
          tokenItem(token, () => {
            if (!window.confirm(`Revoke "${token.name}"? Clients using it stop working at once.`)) return;
            void client.revokeToken(token.id).then(refresh, (failure: Error) => (error.textContent = failure.message));
          }),
        ),
      );
    } catch (failure) {
      error.textContent = (failure as Error).message;
    }
  };

  panel.addEventListener('toggle', () => {
    if (panel.open) void refresh();
  });
  for (const button of panel.querySelectorAll<HTMLButtonElement>('[data-copy]')) {
    button.addEventListener('click', () => void copy($<HTMLInputElement>(`#${button.dataset.copy}`)));
  }
  $<HTMLFormElement>('#token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $<HTMLInputElement>('#token-name');
    const password = $<HTMLInputElement>('#token-password');
    void client.createToken(name.value.trim(), password.value).then(
      ({ secret }) => {
        $<HTMLInputElement>('#token-secret').value = secret;
        secretBox.hidden = false;
        name.value = '';
        password.value = '';
        return refresh();
      },
      (failure: Error) => (error.textContent = failure.message),
    );
  });
  return {
    reset() {
      panel.open = false;
      secretBox.hidden = true;
      $<HTMLInputElement>('#token-secret').value = '';
      list.replaceChildren();
      error.textContent = '';
    },
  };
}
