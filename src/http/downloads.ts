// A file a route answers as a download (the exports): its text, whole or in pieces as they are read
// from the database, its media type and the name to save it as.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import type { InFlight } from '../shared/in-flight.ts';

export interface DownloadFile {
  /** The text, or its pieces in order (an export streamed batch by batch: never the whole file in memory). */
  body: string | AsyncIterable<string>;
  type: string;
  fileName: string;
}

/** How many exports of a user run at once (no cap when RATE_LIMITS=off), and how long each of their statements may run. */
export interface ExportLimits {
  slots: InFlight | undefined;
  statementTimeoutMs: number;
}

/** The 200 of a download route in the OpenAPI document (each route lists its media types in `produces`). */
export const downloadResponse = z.any().describe('The file, as an attachment');

/**
 * Takes one of the user's download slots (RATE_LIMITED while all are taken; none to take when
 * RATE_LIMITS=off), given back when the response ends, sent whole or not.
 */
export function holdDownloadSlot({ slots }: ExportLimits, userId: string, reply: FastifyReply): void {
  if (!slots) return;
  const leave = slots.enter(userId);
  if (!leave)
    throw new AppError('RATE_LIMITED', 'An export of yours is still running; try again when it ends', undefined, { retryAfterSeconds: 1, budget: 'exports' });
  reply.raw.once('close', leave);
}

/** Sends the file as is (no JSON serialisation) with its type and an attachment disposition. */
export const sendDownload = (reply: FastifyReply, file: DownloadFile) =>
  reply
    .type(file.type)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .serializer((body: string) => body)
    .send(typeof file.body === 'string' ? file.body : Readable.from(file.body, { objectMode: false }));
