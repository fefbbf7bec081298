// Pure: the file in a log upload's body. Chargers upload GetLog files to the remoteLocation by HTTP PUT or
// POST, either as the raw body or as multipart/form-data (RFC 7578) with one file part.
import { InvalidInput } from '../shared/errors.ts';

export interface UploadedFile {
  content: Buffer;
  /** The part's filename (multipart), else null. */
  fileName: string | null;
}

const boundaryOf = (contentType: string): string | undefined => /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)?.slice(1).find((x) => x !== undefined);

/**
 * The uploaded file: the first part of a multipart/form-data body (the one with a filename if any), or the
 * whole body otherwise. A multipart body without a boundary or a part is InvalidInput.
 */
export function extractUploadedFile(body: Buffer, contentType: string | undefined): UploadedFile {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return { content: body, fileName: null };
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new InvalidInput('multipart/form-data without a boundary');
  const parts = splitParts(body, Buffer.from(`--${boundary}`));
  if (parts.length === 0) throw new InvalidInput('multipart/form-data without a part');
  const files = parts.map(readPart);
  return files.find((f) => f.fileName !== null) ?? files[0];
}

// RFC 2046 §5.1.1: parts are separated by CRLF--boundary; the last delimiter is followed by "--".
function splitParts(body: Buffer, delimiter: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next === -1) break;
    parts.push(body.subarray(start + 2, next));
    at = next + 2;
  }
  return parts;
}

function readPart(part: Buffer): UploadedFile {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd === -1) return { content: part, fileName: null };
  const headers = part.subarray(0, headerEnd).toString('utf8');
  const fileName = /filename="([^"]*)"/i.exec(headers)?.[1] ?? null;
  return { content: part.subarray(headerEnd + 4), fileName };
}
