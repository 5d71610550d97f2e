// A task's detail drawer: its comment thread and its files, kept live from socket events. Uploads
// show their progress; images show a thumbnail (fetched with the token, shown from a blob: URL).
import { type AttachmentDto, type CommentDto, saveBlob, type TaskDto, type TaskstreamClient } from '../api.ts';
import { $, byTestId, element, showError } from '../dom.ts';

const imageTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const sizeText = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export class TaskDetail {
  private task: TaskDto | undefined;
  private comments: CommentDto[] = [];
  private attachments: AttachmentDto[] = [];
  /** Thumbnails already fetched, by attachment id (their blob: URLs are freed when the drawer closes). */
  private thumbnails = new Map<string, string>();

  constructor(
    private readonly client: TaskstreamClient,
    private readonly me: () => string | undefined,
  ) {
    $<HTMLFormElement>('#comment-form').addEventListener('submit', (event) => void this.comment(event));
    $<HTMLInputElement>('#attachment-input').addEventListener('change', (event) => void this.upload(event.target as HTMLInputElement));
    $('#detail-close').addEventListener('click', () => this.close());
  }

  async open(task: TaskDto): Promise<void> {
    this.close();
    this.task = task;
    $('#detail-title').textContent = `#${task.number} ${task.title}`;
    $('#detail-error').textContent = '';
    const [{ comments }, { attachments }] = await Promise.all([this.client.listComments(task.id), this.client.listAttachments(task.id)]);
    this.comments = comments;
    this.attachments = attachments;
    this.render();
    byTestId('detail-panel').hidden = false;
    $<HTMLTextAreaElement>('#comment-body').focus();
  }

  close(): void {
    byTestId('detail-panel').hidden = true;
    this.task = undefined;
    for (const url of this.thumbnails.values()) URL.revokeObjectURL(url);
    this.thumbnails.clear();
  }

  /** A comment or file event of any list: applied when it is about the open task. */
  commentChanged(comment: CommentDto): void {
    if (comment.task_id !== this.task?.id) return;
    this.comments = [...this.comments.filter((other) => other.id !== comment.id), comment].sort((a, b) => a.created_at.localeCompare(b.created_at));
    this.render();
  }
  commentRemoved(removed: { id: string; task_id: string }): void {
    if (removed.task_id !== this.task?.id) return;
    this.comments = this.comments.filter((comment) => comment.id !== removed.id);
    this.render();
  }
  attachmentAdded(attachment: AttachmentDto): void {
    if (attachment.task_id !== this.task?.id) return;
    this.attachments = [...this.attachments.filter((other) => other.id !== attachment.id), attachment];
    this.render();
  }
  attachmentRemoved(removed: { id: string; task_id: string }): void {
    if (removed.task_id !== this.task?.id) return;
    this.attachments = this.attachments.filter((attachment) => attachment.id !== removed.id);
    this.render();
  }
  /** The open task went away. */
  taskRemoved(id: string): void {
    if (id === this.task?.id) this.close();
  }

  private render(): void {
    const me = this.me();
    $('#comment-list').replaceChildren(
      ...this.comments.map((comment) =>
        element(
          'li',
          { testid: 'comment-item' },
          element('strong', { textContent: comment.author?.id === me ? 'You' : (comment.author?.name ?? 'Someone') }),
          element('span', { className: 'when', textContent: ` · ${new Date(comment.created_at).toLocaleString()}${comment.edited_at ? ' · edited' : ''}` }),
          // Plain text, as written: never read as HTML.
          element('p', { className: 'comment-body', textContent: comment.body }),
          ...(comment.author?.id === me
            ? [
                element('button', {
                  type: 'button',
                  className: 'link',
                  textContent: 'Delete',
                  ariaLabel: 'Delete your comment',
                  onclick: () => void this.client.deleteComment(comment.id).catch((error) => showError($('#detail-error'), error)),
                }),
              ]
            : []),
        ),
      ),
    );
    if (this.comments.length === 0) $('#comment-list').append(element('li', { className: 'empty', textContent: 'No comments yet' }));
    $('#attachment-list').replaceChildren(...this.attachments.map((attachment) => this.attachmentElement(attachment)));
  }

  private attachmentElement(attachment: AttachmentDto): HTMLLIElement {
    const item = element(
      'li',
      { testid: 'attachment-item' },
      element('span', { className: 'filename', textContent: attachment.filename }),
      element('span', { className: 'when', textContent: ` · ${sizeText(attachment.size)} · ${attachment.uploaded_by.name}` }),
      element('button', {
        type: 'button',
        className: 'link',
        textContent: 'Download',
        testid: 'attachment-download',
        ariaLabel: `Download ${attachment.filename}`,
        onclick: () =>
          void this.client.attachmentBlob(attachment.id).then(
            (blob) => saveBlob(blob, attachment.filename),
            (error) => showError($('#detail-error'), error),
          ),
      }),
      element('button', {
        type: 'button',
        className: 'link',
        textContent: 'Remove',
        ariaLabel: `Remove ${attachment.filename}`,
        onclick: () => void this.client.removeAttachment(attachment.id).catch((error) => showError($('#detail-error'), error)),
      }),
    );
    if (imageTypes.has(attachment.content_type)) {
      const thumbnail = element('img', { className: 'thumbnail', alt: attachment.filename, testid: 'attachment-thumbnail' });
      item.prepend(thumbnail);
      void this.thumbnailUrl(attachment.id).then((url) => {
        thumbnail.src = url;
      });
    }
    return item;
  }

  private async thumbnailUrl(id: string): Promise<string> {
    const known = this.thumbnails.get(id);
    if (known) return known;
    const url = URL.createObjectURL(await this.client.attachmentBlob(id));
    this.thumbnails.set(id, url);
    return url;
  }

  private async comment(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = $<HTMLTextAreaElement>('#comment-body');
    const body = input.value.trim();
    if (!body || !this.task) return;
    try {
      this.commentChanged((await this.client.addComment(this.task.id, body)).comment);
      input.value = '';
    } catch (error) {
      showError($('#detail-error'), error);
    }
  }

  private async upload(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file || !this.task) return;
    const progress = byTestId<HTMLProgressElement>('upload-progress');
    progress.value = 0;
    progress.hidden = false;
    $('#detail-error').textContent = '';
    try {
      const attachment = await this.client.uploadAttachment(this.task.id, file, (sent) => {
        progress.value = sent;
      });
      this.attachmentAdded(attachment);
    } catch (error) {
      showError($('#detail-error'), error);
    } finally {
      progress.hidden = true;
      input.value = '';
    }
  }
}
