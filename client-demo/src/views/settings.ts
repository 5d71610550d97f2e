// The settings panel: ask before destructive actions, and the downloads (tasks, the open conversation).
import type { TaskstreamClient, UserDto } from '../api.ts';
import { $, byTestId, showError } from '../dom.ts';

export function mountSettings(client: TaskstreamClient, conversationId: () => string | undefined): { show(user: UserDto): void } {
  const confirm = byTestId<HTMLInputElement>('setting-confirm');
  const error = $('#settings-error');
  confirm.addEventListener('change', () => {
    error.textContent = '';
    client.updateProfile({ confirm_destructive: confirm.checked }).catch((failure) => {
      confirm.checked = !confirm.checked;
      showError(error, failure);
    });
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-export]')) {
    button.addEventListener('click', () => {
      const format = button.dataset.export!;
      const open = conversationId();
      const path = format === 'conversation' ? open && `/api/conversations/${open}/export?format=markdown` : `/api/tasks/export?format=${format}`;
      if (path) client.download(path).catch((failure) => showError(error, failure));
    });
  }
  return {
    show: (user) => {
      confirm.checked = user.confirm_destructive;
    },
  };
}
