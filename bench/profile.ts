// `node --import tsx bench/profile.ts <file.cpuprofile>…`: the functions a V8 CPU profile spent
// most of its own time in (self time, summed per function and file), the top 20 of each profile.
// `BENCH_CPU_PROFILE=<dir> npm run bench` writes one profile per streaming window and server.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number };
  const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFrame.set(key, (byFrame.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  console.log(`\n${path.basename(file)}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, ${hits} samples`);
  for (const [frame, count] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`${((100 * count) / hits).toFixed(1).padStart(5)}%  ${frame}`);
  }
}
