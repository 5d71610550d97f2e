import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of the postgres processes whose command line names this data directory. */
export function postgresServing(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}
