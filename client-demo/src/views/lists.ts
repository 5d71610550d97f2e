// The lists: a switcher (every list, or one), a new list, sharing the chosen one (invite by email
// with a role, members, invitations waiting) and the invitations waiting for the user.
import type { ListDto, TaskstreamClient } from '../api.ts';
import { $, byTestId, element, showError } from '../dom.ts';

export class ListsPanel {
  private lists: ListDto[] = [];
  private selected = '';

  constructor(
    private readonly client: TaskstreamClient,
    /** Called when the list shown changes (a switch, or the list shown is gone). */
    private readonly onSwitch: () => void,
    private readonly me: () => string | undefined,
  ) {
    byTestId<HTMLSelectElement>('list-switcher').addEventListener('change', (event) => {
      this.selected = (event.target as HTMLSelectElement).value;
      void this.renderShare();
      this.onSwitch();
    });
    byTestId('list-new').addEventListener('click', () => {
      const name = window.prompt('Name of the new list')?.trim();
      if (name)
        void this.client.createList(name).then(
          ({ list }) => this.select(list.id),
          (error) => showError($('#share-error'), error),
        );
    });
    $<HTMLFormElement>('#invite-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const email = byTestId<HTMLInputElement>('invite-email');
      const role = byTestId<HTMLSelectElement>('invite-role').value as 'editor' | 'viewer';
      void this.client.invite(this.selected, email.value.trim(), role).then(
        () => {
          email.value = '';
          return this.renderShare();
        },
        (error) => showError($('#share-error'), error),
      );
    });
  }

  /** The list shown: one id, or '' for every list. */
  get listId(): string {
    return this.selected;
  }

  /** A list's name, for the task rows of "every list" (none while the user has one list only). */
  nameOf(listId: string): string | undefined {
    return this.lists.length > 1 ? this.lists.find((list) => list.id === listId)?.name : undefined;
  }

  /** Reads the lists and the invitations waiting anew (after any list event). */
  async refresh(): Promise<void> {
    const [{ lists }, { invitations }] = await Promise.all([this.client.listLists(), this.client.receivedInvitations()]);
    this.lists = lists;
    const gone = this.selected && !lists.some((list) => list.id === this.selected);
    if (gone) this.selected = '';
    this.renderSwitcher();
    this.renderInvitations(invitations);
    await this.renderShare();
    if (gone) this.onSwitch();
  }

  private async select(listId: string): Promise<void> {
    this.selected = listId;
    await this.refresh();
    this.onSwitch();
  }

  private renderSwitcher(): void {
    const switcher = byTestId<HTMLSelectElement>('list-switcher');
    switcher.replaceChildren(
      element('option', { value: '', textContent: 'All lists' }),
      ...this.lists.map((list) =>
        element('option', { value: list.id, textContent: list.personal ? list.name : `${list.name} (${list.role}, ${list.member_count})` }),
      ),
    );
    switcher.value = this.selected;
  }

  private renderInvitations(invitations: Awaited<ReturnType<TaskstreamClient['receivedInvitations']>>['invitations']): void {
    const box = byTestId('invitations');
    box.hidden = invitations.length === 0;
    $('#invitation-list').replaceChildren(
      ...invitations.map((invitation) => {
        const answer = (accept: boolean) => () =>
          void this.client.answerInvitation(invitation.id, accept).then(
            () => this.refresh(),
            (error) => showError($('#share-error'), error),
          );
        return element(
          'li',
          { testid: 'invitation' },
          element('span', { textContent: `${invitation.invited_by.name} invites you to “${invitation.list.name}” as ${invitation.role}` }),
          element('button', { type: 'button', textContent: 'Accept', onclick: answer(true), testid: 'invitation-accept' }),
          element('button', { type: 'button', className: 'link', textContent: 'Decline', onclick: answer(false) }),
        );
      }),
    );
  }

  /** The share panel of the list shown: its members (the owner may remove them) and, for the owner, the invitations waiting. */
  private async renderShare(): Promise<void> {
    const list = this.lists.find((candidate) => candidate.id === this.selected);
    const panel = byTestId<HTMLDetailsElement>('share-panel');
    panel.hidden = !list || list.personal;
    if (!list || list.personal) return;
    $<HTMLFormElement>('#invite-form').hidden = list.role !== 'owner';
    const { members, invitations } = await this.client.listMembers(list.id);
    byTestId('member-list').replaceChildren(
      ...members.map((member) => {
        const mayRemove = member.role !== 'owner' && (list.role === 'owner' || member.user.id === this.me());
        return element(
          'li',
          { testid: 'member', dataset: { id: member.user.id } },
          element('span', { textContent: `${member.user.name} · ${member.role}` }),
          ...(mayRemove
            ? [
                element('button', {
                  type: 'button',
                  className: 'link',
                  testid: 'member-remove',
                  textContent: member.user.id === this.me() ? 'Leave' : 'Remove',
                  ariaLabel: `${member.user.id === this.me() ? 'Leave' : `Remove ${member.user.name} from`} “${list.name}”`,
                  onclick: () =>
                    void this.client.removeMember(list.id, member.user.id).then(
                      () => this.refresh(),
                      (error) => showError($('#share-error'), error),
                    ),
                }),
              ]
            : []),
        );
      }),
    );
    byTestId('pending-invitations').replaceChildren(
      ...invitations.map((invitation) =>
        element(
          'li',
          {},
          element('span', { textContent: `${invitation.email} · ${invitation.role} (invited)` }),
          element('button', {
            type: 'button',
            className: 'link',
            textContent: 'Revoke',
            onclick: () => void this.client.revokeInvitation(list.id, invitation.id).then(() => this.renderShare()),
          }),
        ),
      ),
    );
  }
}
