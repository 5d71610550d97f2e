// The attachments phase: ten users each upload a 10 MB file at once, then download them at once;
// the server's resident memory is sampled throughout against what it held before: files stream to
// and from PostgreSQL in 256 KiB chunks, so ten files in flight must not cost ten files of memory.
import { randomBytes } from 'node:crypto';
import { multipart } from '../../test/helpers/multipart.ts';
import { type Child, rssKb } from './processes.ts';
import { accessToken, seedTasks, seedUsers } from './seed.ts';
import { round, sleep } from './stats.ts';

export interface AttachmentsReport {
  files: number;
  mb_each: number;
  upload_seconds: number;
  download_seconds: number;
  rss_before_mb: number;
  rss_peak_upload_mb: number;
  rss_peak_download_mb: number;
  rss_after_5s_mb: number;
}

export async function measureAttachments(databaseUrl: string, start: () => Promise<Child>, stop: (child: Child) => Promise<void>): Promise<AttachmentsReport> {
  const size = 10 * 1024 * 1024;
  const users = await seedUsers(databaseUrl, Number(process.env.BENCH_FILES ?? 10), 'files');
  for (const user of users) await seedTasks(databaseUrl, user, 1);
  // Random bytes: nothing compresses, as with the photos and PDFs people attach.
  const bodies = users.map(() => multipart({ filename: 'scan.bin', content: randomBytes(size) }));
  const app = await start();
  try {
    await sleep(1_000);
    const before = rssKb(app.pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssKb(app.pid));
    }, 20);
    const timed = async <T>(work: () => Promise<T>) => {
      peak = rssKb(app.pid);
      const startedAt = performance.now();
      const result = await work();
      return { result, seconds: round((performance.now() - startedAt) / 1000, 2), peak };
    };
    const uploads = await timed(() =>
      Promise.all(
        users.map(async (user, index) => {
          const { body, headers } = bodies[index]!;
          const response = await fetch(`${app.url}/api/tasks/1/attachments`, {
            method: 'POST',
            headers: { ...headers, authorization: `Bearer ${accessToken(user)}` },
            body: new Uint8Array(body),
          });
          if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
          return (await response.json()).attachment.id as string;
        }),
      ),
    );
    const downloads = await timed(() =>
      Promise.all(
        users.map(async (user, index) => {
          const response = await fetch(`${app.url}/api/attachments/${uploads.result[index]}`, { headers: { authorization: `Bearer ${accessToken(user)}` } });
          let bytes = 0;
          for await (const chunk of response.body!) bytes += (chunk as Uint8Array).byteLength;
          if (bytes !== size) throw new Error(`a download gave ${bytes} bytes of ${size}`);
        }),
      ),
    );
    clearInterval(sampler);
    await sleep(5_000);
    const mb = (kb: number) => round(kb / 1024, 0);
    return {
      files: users.length,
      mb_each: size / 1024 / 1024,
      upload_seconds: uploads.seconds,
      download_seconds: downloads.seconds,
      rss_before_mb: mb(before),
      rss_peak_upload_mb: mb(uploads.peak),
      rss_peak_download_mb: mb(downloads.peak),
      rss_after_5s_mb: mb(rssKb(app.pid)),
    };
  } finally {
    await stop(app);
  }
}
