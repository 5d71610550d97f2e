// What an upload is allowed to say about itself: nothing we trust. Its name is cleaned to one safe
// file name, its type is read from its first bytes.
import { fileTypeFromBuffer } from 'file-type';

/** The bytes the type is read from (the sample size file-type's documentation advises). */
export const headSize = 4100;

/** Types a browser may show in the page (`inline`); every other file downloads. */
export const inlineTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Names Windows reserves, whatever the extension. */
const reserved = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A file name safe to store, show and hand back in Content-Disposition: the last path segment
 * (`../../etc/passwd` → `passwd`), NFC, without control or invisible formatting characters (bidi
 * overrides that make `exe.pdf` read as `fdp.exe`), without the characters file systems refuse,
 * at most 200 characters with its extension kept; `file` when nothing is left.
 */
export function sanitizeFilename(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (reserved.test(name)) name = `_${name}`;
  const chars = [...name];
  if (chars.length > 200) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = chars.slice(0, 200 - [...extension].length).join('') + extension;
  }
  return name || 'file';
}

/**
 * A file's media type from its first bytes: what its magic number says; else UTF-8 text without
 * control characters is `text/plain`; else `application/octet-stream`.
 */
export async function sniffType(head: Uint8Array): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  return isPlainText(head) ? 'text/plain' : 'application/octet-stream';
}

function isPlainText(head: Uint8Array): boolean {
  try {
    // `stream`: a character cut at the end of the head is not an error.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return ![...text].some((char) => {
      const code = char.charCodeAt(0);
      return (code < 32 && !'\t\n\v\f\r'.includes(char)) || code === 127;
    });
  } catch {
    return false;
  }
}
