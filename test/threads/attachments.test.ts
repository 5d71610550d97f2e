// Attachments: files streamed into PostgreSQL and back, their type read from their bytes, their
// names cleaned, refused when too big (before they are read whole), empty, over the uploader's
// quota (two uploads racing for the last room included), from a viewer, or trickled past the body
// timeout; nothing of a refused upload is kept. Removed files come back with an undo until the
// undo window closes, then they are purged; a deleted list takes its files with it.
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { executeBound } from '../../src/db/sql.ts';
import { call, sharedList, signup, type TestUser } from '../helpers/app.ts';
import { multipart, onePixelPng, type Part } from '../helpers/multipart.ts';
import { connect, listeningApp, until, waitFor } from '../helpers/socket.ts';

const limit = 64 * 1024;

async function upload(app: FastifyInstance, user: TestUser, taskRef: string, part: Part) {
  const { body, headers } = multipart(part);
  const res = await app.inject({ method: 'POST', url: `/api/tasks/${taskRef}/attachments`, headers: { ...user.auth, ...headers }, payload: body });
  return { status: res.statusCode, body: res.json() as any };
}

/** Rows a user's uploads left, finished or not, and stored chunks that belong to no file. */
async function leftovers(app: FastifyInstance, user: TestUser) {
  const [rows] = await executeBound<{ files: number; orphans: number }>(
    app.orm.em.fork(),
    `select (select count(*)::int from task_attachments where uploaded_by_id = $1) as files,
            (select count(*)::int from file_chunks c where not exists (select 1 from task_attachments f where f.id = c.file_id)) as orphans`,
    [user.id],
  );
  return rows!;
}

/** A raw upload over HTTP: the head of the body is sent, then `rest` is written as `send` decides; resolves with the answer's status (or 'closed'). */
function rawUpload(url: string, user: TestUser, taskId: string, headers: Record<string, string>, send: (write: (chunk: Buffer) => boolean) => void) {
  return new Promise<number | 'closed'>((resolve) => {
    const req = request(`${url}/api/tasks/${taskId}/attachments`, { method: 'POST', headers: { ...user.auth, ...headers } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', () => resolve('closed'));
    send((chunk) => req.write(chunk));
  });
}

describe('attachments', () => {
  const suite = listeningApp({ LIMIT_UPLOAD: `${limit}`, LIMIT_STORAGE_USER: '100KB', REQUEST_TIMEOUT: '2s' });
  const api = (user: TestUser, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) => call(suite.app, user, method, url, body);

  it('stores a file and gives it back byte for byte: an image inline, sandboxed and nosniff, live to the list', async () => {
    const user = await signup(suite.app, 'Ann');
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Receipt' })).body.task;
    const tab = await connect(suite.url, user.accessToken);
    try {
      const added = waitFor(tab, 'attachment:added');
      const created = await upload(suite.app, user, task.id, { filename: 'receipt.png', content: onePixelPng, type: 'text/html' });
      expect(created.status).toBe(201);
      expect(created.body.attachment).toEqual({
        id: expect.any(String),
        task_id: task.id,
        filename: 'receipt.png',
        content_type: 'image/png',
        size: onePixelPng.length,
        uploaded_by: { id: user.id, name: 'Ann' },
        created_at: expect.any(String),
      });
      expect((await added).attachment).toEqual(created.body.attachment);
      const down = await suite.app.inject({ method: 'GET', url: `/api/attachments/${created.body.attachment.id}`, headers: user.auth });
      expect(down.rawPayload.equals(onePixelPng)).toBe(true);
      expect(down.headers).toMatchObject({
        'content-type': 'image/png',
        'content-disposition': 'inline; filename=receipt.png',
        'content-security-policy': 'sandbox',
        'x-content-type-options': 'nosniff',
      });
      expect((await api(user, 'GET', `/api/tasks/${task.id}/attachments`)).body.attachments).toEqual([created.body.attachment]);
      expect((await api(user, 'GET', `/api/tasks/${task.id}/history`)).body.history[0]).toMatchObject({
        action: 'attached',
        changes: { attachment: [null, 'receipt.png'] },
      });
    } finally {
      tab.disconnect();
    }
  });

  it('stores a file of many chunks whole, and reads each file’s type from its bytes, never from its name or claimed type', async () => {
    const user = await signup(suite.app);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Files' })).body.task;
    const big = Buffer.alloc(limit, 7);
    big.write('%PDF-1.7\n', 0);
    const pdf = await upload(suite.app, user, task.id, { filename: 'notes.txt', content: big, type: 'text/plain' });
    expect(pdf.body.attachment).toMatchObject({ content_type: 'application/pdf', size: limit });
    const back = await suite.app.inject({ method: 'GET', url: `/api/attachments/${pdf.body.attachment.id}`, headers: user.auth });
    expect(back.rawPayload.equals(big)).toBe(true);
    expect(back.headers['content-disposition']).toBe('attachment; filename=notes.txt');

    // HTML dressed as a PNG is text, downloaded, never shown.
    const html = await upload(suite.app, user, task.id, {
      filename: 'cat.png',
      content: Buffer.from('<html><script>alert(1)</script></html>'),
      type: 'image/png',
    });
    expect(html.body.attachment.content_type).toBe('text/plain');
    const served = await suite.app.inject({ method: 'GET', url: `/api/attachments/${html.body.attachment.id}`, headers: user.auth });
    expect(served.headers).toMatchObject({ 'content-type': 'text/plain; charset=utf-8', 'content-disposition': 'attachment; filename=cat.png' });
    const binary = await upload(suite.app, user, task.id, { filename: 'data.bin', content: Buffer.from([0, 1, 2, 3, 255, 254]) });
    expect(binary.body.attachment.content_type).toBe('application/octet-stream');
  });

  it('cleans names: path segments, control and bidi characters, reserved names; a name no header can carry is refused', async () => {
    const user = await signup(suite.app);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Names' })).body.task;
    const stored = async (filename: string) => (await upload(suite.app, user, task.id, { filename, content: Buffer.from('hello') })).body.attachment?.filename;
    expect(await stored('../../etc/passwd')).toBe('passwd');
    expect(await stored('..\\..\\windows\\win.ini')).toBe('win.ini');
    expect(await stored('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(await stored('tab\there\u0007.txt')).toBe('tabhere.txt');
    expect(await stored('CON.txt')).toBe('_CON.txt');
    expect(await stored('...')).toBe('file');
    expect(await stored('résumé "final".pdf')).toBe('résumé _final_.pdf');
    const header = (await suite.app.inject({ method: 'GET', url: `/api/tasks/${task.id}/attachments`, headers: user.auth })).json().attachments.at(-1);
    const down = await suite.app.inject({ method: 'GET', url: `/api/attachments/${header.id}`, headers: user.auth });
    expect(down.headers['content-disposition']).toBe(`attachment; filename="r?sum? _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20_final_.pdf`);
    const refused = await upload(suite.app, user, task.id, { filename: 'a\r\nContent-Type: text/html', content: Buffer.from('x') });
    expect(refused.status).toBe(400);
    expect((await api(user, 'GET', `/api/tasks/${task.id}/attachments`)).body.attachments).toHaveLength(7);
  });

  it('refuses an empty file, a missing or misnamed field, and a body that is not multipart, naming what is wrong', async () => {
    const user = await signup(suite.app);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Refusals' })).body.task;
    const empty = await upload(suite.app, user, task.id, { filename: 'empty.txt', content: Buffer.alloc(0) });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', details: [{ field: 'file', message: 'must not be empty' }] } } });
    expect((await upload(suite.app, user, task.id, { filename: 'a.txt', content: Buffer.from('x'), field: 'document' })).body.error.details[0].field).toBe(
      'file',
    );
    expect((await api(user, 'POST', `/api/tasks/${task.id}/attachments`, { file: 'hello' })).status).toBe(415);
    expect(await leftovers(suite.app, user)).toEqual({ files: 0, orphans: 0 });
  });

  it('refuses a file over LIMIT_UPLOAD: at once when Content-Length says so, else when the limit is passed; nothing is kept', async () => {
    const user = await signup(suite.app);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Big' })).body.task;
    const { body, headers } = multipart({ filename: 'big.bin', content: Buffer.alloc(10 * limit, 1) });
    // Declared too big: answered after the first kilobyte, the rest never sent.
    let sent = 0;
    const declared = await rawUpload(suite.url, user, task.id, headers, (write) => {
      sent = 1024;
      write(body.subarray(0, sent));
    });
    expect(declared).toBe(413);
    expect(sent).toBeLessThan(body.length);
    // Chunked (no length): refused once the file passes the limit.
    const { 'content-length': _length, ...chunkedHeaders } = headers;
    const streamed = await rawUpload(suite.url, user, task.id, { ...chunkedHeaders, 'transfer-encoding': 'chunked' }, (write) => {
      for (let offset = 0; offset < body.length; offset += 16 * 1024) write(body.subarray(offset, offset + 16 * 1024));
    });
    expect(streamed, 'chunked upload over the limit').toSatisfy((answer) => answer === 413 || answer === 'closed');
    const inject = await upload(suite.app, user, task.id, { filename: 'big.bin', content: Buffer.alloc(limit + 1, 1) });
    expect(inject).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    await until(async () => (await leftovers(suite.app, user)).files === 0);
    expect(await leftovers(suite.app, user)).toEqual({ files: 0, orphans: 0 });
  });

  it('ends an upload trickled past the body timeout, and keeps nothing of it', async () => {
    const user = await signup(suite.app);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Slow' })).body.task;
    const { body, headers } = multipart({ filename: 'slow.bin', content: Buffer.alloc(4096, 1) });
    const started = Date.now();
    let timer: ReturnType<typeof setInterval> | undefined;
    const answer = await rawUpload(suite.url, user, task.id, headers, (write) => {
      let offset = 0;
      timer = setInterval(() => {
        if (offset < body.length - 1) write(body.subarray(offset, ++offset));
      }, 200);
    });
    clearInterval(timer);
    expect(answer === 408 || answer === 'closed').toBe(true);
    expect(Date.now() - started).toBeLessThan(6_000);
    await until(async () => (await leftovers(suite.app, user)).files === 0);
    expect((await api(user, 'GET', `/api/tasks/${task.id}/attachments`)).body.attachments).toEqual([]);
  });

  it('holds a user to LIMIT_STORAGE_USER, two uploads racing for the last room included', async () => {
    const user = await signup(suite.app);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Quota' })).body.task;
    const part = { filename: 'half.bin', content: Buffer.alloc(60 * 1024, 3) };
    const answers = await Promise.all([upload(suite.app, user, task.id, part), upload(suite.app, user, task.id, part)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)!.body.error.code).toBe('QUOTA_EXCEEDED');
    expect(await leftovers(suite.app, user)).toEqual({ files: 1, orphans: 0 });
    // Room again once a file goes.
    const kept = answers.find((answer) => answer.status === 201)!.body.attachment;
    await api(user, 'DELETE', `/api/attachments/${kept.id}`);
    expect((await upload(suite.app, user, task.id, part)).status).toBe(201);
  });

  it('lets editors upload and a viewer only download; the uploader or the owner removes; strangers get 404 for every id', async () => {
    const [olga, max, vic, eve] = [await signup(suite.app), await signup(suite.app), await signup(suite.app), await signup(suite.app)];
    const list = await sharedList(suite.app, olga, [max, 'editor'], [vic, 'viewer']);
    const task = (await api(olga, 'POST', '/api/tasks', { title: 'Shared', list_id: list.id })).body.task;
    const file = (await upload(suite.app, max, task.id, { filename: 'plan.txt', content: Buffer.from('the plan') })).body.attachment;
    expect((await upload(suite.app, vic, task.id, { filename: 'mine.txt', content: Buffer.from('x') })).status).toBe(403);
    expect((await suite.app.inject({ method: 'GET', url: `/api/attachments/${file.id}`, headers: vic.auth })).body).toBe('the plan');
    expect((await api(vic, 'DELETE', `/api/attachments/${file.id}`)).status).toBe(403);
    for (const [method, url] of [
      ['GET', `/api/attachments/${file.id}`],
      ['DELETE', `/api/attachments/${file.id}`],
      ['GET', `/api/tasks/${task.id}/attachments`],
    ] as const) {
      expect((await api(eve, method, url)).status).toBe(404);
    }
    expect((await upload(suite.app, eve, task.id, { filename: 'x.txt', content: Buffer.from('x') })).status).toBe(404);
    expect((await api(olga, 'DELETE', `/api/attachments/${file.id}`)).status).toBe(204);
    expect((await api(max, 'GET', `/api/attachments/${file.id}`)).status).toBe(404);
    expect(await leftovers(suite.app, vic)).toEqual({ files: 0, orphans: 0 });
  });

  it('brings a removed file back with an undo, and a deleted task with its files', async () => {
    const user = await signup(suite.app);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Undo' })).body.task;
    const file = (await upload(suite.app, user, task.id, { filename: 'a.txt', content: Buffer.from('kept') })).body.attachment;
    await api(user, 'DELETE', `/api/attachments/${file.id}`);
    expect((await api(user, 'GET', `/api/tasks/${task.id}/attachments`)).body.attachments).toEqual([]);
    expect((await api(user, 'POST', '/api/undo')).body.undone).toMatchObject({ action: 'attached', changes: { attachment: ['a.txt', null] } });
    expect((await api(user, 'GET', `/api/tasks/${task.id}/attachments`)).body.attachments).toEqual([file]);

    await api(user, 'DELETE', `/api/tasks/${task.id}`);
    expect((await api(user, 'GET', `/api/attachments/${file.id}`)).status).toBe(404);
    await api(user, 'POST', '/api/undo');
    expect((await suite.app.inject({ method: 'GET', url: `/api/attachments/${file.id}`, headers: user.auth })).body).toBe('kept');
    // Undoing the upload itself removes the file.
    await api(user, 'POST', `/api/tasks/${task.id}/attachments`);
    const second = (await upload(suite.app, user, task.id, { filename: 'b.txt', content: Buffer.from('second') })).body.attachment;
    await api(user, 'POST', '/api/undo');
    expect((await api(user, 'GET', `/api/attachments/${second.id}`)).status).toBe(404);
  });
  it('is described exactly in the OpenAPI document: one binary field `file` in multipart/form-data, and every answer', async () => {
    const document = (await suite.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operation = document.paths['/api/tasks/{ref}/attachments'].post;
    expect(operation.requestBody).toEqual({
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { file: { type: 'string', format: 'binary', description: 'The file (one); its type is read from its bytes' } },
            required: ['file'],
          },
        },
      },
    });
    expect(Object.keys(operation.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413', '415', '429', '500', '503']);
    const download = document.paths['/api/attachments/{id}'].get.responses;
    expect(Object.keys(download['200'].content)).toEqual(['*/*']);
    expect(Object.keys(download['404'].content)).toEqual(['application/json']);
  });
});

describe('attachments past the undo window', () => {
  const suite = listeningApp({ REMOVED_FILES_KEPT: '1ms' });

  it('purges removed files once the window has closed (an undo then brings the task back without them), and a deleted list’s files at once', async () => {
    const user = await signup(suite.app);
    const list = (await call(suite.app, user, 'POST', '/api/lists', { name: 'Projects' })).body.list;
    const task = (await call(suite.app, user, 'POST', '/api/tasks', { title: 'Old', list_id: list.id })).body.task;
    await upload(suite.app, user, task.id, { filename: 'old.txt', content: Buffer.from('old') });
    const other = (await call(suite.app, user, 'POST', '/api/tasks', { title: 'In list', list_id: list.id })).body.task;
    await upload(suite.app, user, other.id, { filename: 'list.txt', content: Buffer.from('list') });
    await call(suite.app, user, 'DELETE', `/api/tasks/${task.id}`);
    // Deleting a list runs the purge: the deleted task's file (past its 1 ms window) goes.
    const scratch = (await call(suite.app, user, 'POST', '/api/lists', { name: 'Scratch' })).body.list;
    await call(suite.app, user, 'DELETE', `/api/lists/${scratch.id}`);
    await until(async () => (await leftovers(suite.app, user)).files === 1);
    expect((await call(suite.app, user, 'POST', '/api/undo')).body.task).toMatchObject({ id: task.id });
    expect((await call(suite.app, user, 'GET', `/api/tasks/${task.id}/attachments`)).body.attachments).toEqual([]);

    // The list's own task's file goes with the list.
    await call(suite.app, user, 'DELETE', `/api/lists/${list.id}`);
    await until(async () => (await leftovers(suite.app, user)).files === 0);
    expect(await leftovers(suite.app, user)).toEqual({ files: 0, orphans: 0 });
  });
});
