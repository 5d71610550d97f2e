// A file a route answers as a download (the exports): its bytes, media type and the name to save it as.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

export interface DownloadFile {
  body: string;
  type: string;
  fileName: string;
}

/** The 200 of a download route in the OpenAPI document (each route lists its media types in `produces`). */
export const downloadResponse = z.any().describe('The file, as an attachment');

/** Sends the file as is (no JSON serialisation) with its type and an attachment disposition. */
export const sendDownload = (reply: FastifyReply, file: DownloadFile) =>
  reply
    .type(file.type)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .serializer((body: string) => body)
    .send(file.body);
