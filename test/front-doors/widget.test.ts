// GET /widget.js: the embeddable chat widget's script (the widget itself in chromium: widget-browser.test.ts).
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';

describe('GET /widget.js', () => {
  const suite = testApp();

  it('is one script, under 40 KB gzipped, cacheable by its ETag, loadable from any origin', async () => {
    const res = await suite.app.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toBe('public, max-age=300, must-revalidate');
    expect(res.body).toContain('taskstream-chat');
    expect(gzipSync(res.rawPayload, { level: 9 }).length).toBeLessThan(40 * 1024);

    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await suite.app.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } });
    expect([again.statusCode, again.body]).toEqual([304, '']);
    expect((await suite.app.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);

    const zipped = await suite.app.inject({ method: 'GET', url: '/widget.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(res.body);
  });
});
