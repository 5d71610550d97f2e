// multipart/form-data bodies as a browser sends them, built by hand so that a test controls every
// byte: the file's name (RFC 5987 `filename*` for names no header can carry raw), its claimed type,
// and the field's name.
import { randomUUID } from 'node:crypto';

export interface Part {
  filename: string;
  content: Buffer;
  /** Default `file`. */
  field?: string;
  /** What the client claims; the server never believes it. */
  type?: string;
}

export function multipart({ filename, content, field = 'file', type = 'application/octet-stream' }: Part): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----taskstream${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename*=UTF-8''${encodeURIComponent(filename)}\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.concat([head, content, tail]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) } };
}

/** The smallest real PNG: a 1×1 transparent pixel. */
export const onePixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
