// Reminders as they arrive (`task:reminder`): a browser notification when the user allowed them, and
// always a toast in the page that offers Snooze (a notification has no buttons without a service worker).
import type { ReminderDto, TaskDto, TaskstreamClient } from '../api.ts';
import { $, byTestId, element, showError } from '../dom.ts';

const snoozeMinutes = 10;

export function mountReminders(client: TaskstreamClient): { show(payload: { task: TaskDto; reminder: ReminderDto; late: boolean }): void } {
  const enable = byTestId<HTMLButtonElement>('notifications-enable');
  const supported = typeof Notification !== 'undefined';
  enable.hidden = !supported || Notification.permission !== 'default';
  enable.addEventListener('click', () => {
    void Notification.requestPermission().then(() => {
      enable.hidden = Notification.permission !== 'default';
    });
  });
  return {
    show({ task, reminder, late }) {
      const text = `${late ? 'Missed reminder' : 'Reminder'}: ${task.title}`;
      if (supported && Notification.permission === 'granted')
        new Notification(text, { body: task.due_date ? `Due ${new Date(task.due_date).toLocaleString()}` : '', tag: reminder.id });
      const toast = element('div', { className: 'reminder-toast', testid: 'reminder-toast', role: 'alert' }, element('strong', { textContent: text }));
      toast.append(
        element('button', {
          type: 'button',
          textContent: `Snooze ${snoozeMinutes} min`,
          testid: 'reminder-snooze',
          onclick: () =>
            void client.snoozeReminder(reminder.id, snoozeMinutes).then(
              () => toast.remove(),
              (error) => showError($('#task-error'), error),
            ),
        }),
        element('button', { type: 'button', className: 'link', textContent: 'Dismiss', onclick: () => toast.remove() }),
      );
      byTestId('reminder-toasts').append(toast);
    },
  };
}
