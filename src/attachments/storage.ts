// Where a file's bytes live: one interface, so that an S3-compatible store can take PostgreSQL's
// place; every instance reads what any instance wrote. PostgreSQL is the default (no other
// service): a file is rows of 256 KiB chunks, written and read one after another, so a file is
// never whole in memory, going in or out.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/sql.ts';

export interface FileStore {
  /** Stores file `id`'s bytes as they come; rejects (nothing kept) if `bytes` fails. */
  write(id: string, bytes: AsyncIterable<Uint8Array>): Promise<void>;
  /** File `id`'s bytes, read a piece at a time as they are consumed. */
  read(id: string): AsyncIterable<Buffer>;
  /** Removes files' bytes (ids with none are ignored). */
  remove(ids: string[]): Promise<void>;
}

/** The size of a stored chunk: one row, one statement, the most of a file in memory at once. */
export const chunkSize = 256 * 1024;
/** Chunks read by one statement on the way out. */
const chunksPerRead = 4;

export class PostgresFileStore implements FileStore {
  constructor(private readonly em: EntityManager) {}

  async write(id: string, bytes: AsyncIterable<Uint8Array>): Promise<void> {
    let pending: Buffer[] = [];
    let pendingSize = 0;
    let seq = 0;
    const store = async (chunk: Buffer) => {
      await executeBound(this.em, 'insert into file_chunks (file_id, seq, data) values ($1, $2, $3)', [id, seq++, chunk]);
    };
    try {
      for await (const piece of bytes) {
        pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
        pendingSize += piece.byteLength;
        while (pendingSize >= chunkSize) {
          const joined = Buffer.concat(pending, pendingSize);
          await store(joined.subarray(0, chunkSize));
          pending = pendingSize > chunkSize ? [joined.subarray(chunkSize)] : [];
          pendingSize -= chunkSize;
        }
      }
      if (pendingSize > 0) await store(Buffer.concat(pending, pendingSize));
    } catch (error) {
      await this.remove([id]);
      throw error;
    }
  }

  async *read(id: string): AsyncIterable<Buffer> {
    for (let from = 0; ; from += chunksPerRead) {
      const rows = await executeBound<{ data: Buffer }>(this.em, 'select data from file_chunks where file_id = $1 and seq >= $2 and seq < $3 order by seq', [
        id,
        from,
        from + chunksPerRead,
      ]);
      for (const row of rows) yield row.data;
      if (rows.length < chunksPerRead) return;
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length) await executeBound(this.em, 'delete from file_chunks where file_id = any($1::uuid[])', [ids]);
  }
}
