import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { fileLabel } from './file-label';

export type UploadedFile = {
  /** The sender's file name, sanitised, for messages only: never a path, a storage key or a type. */
  label: string;
  bytes: Buffer;
  /** Larger than `maxFileBytes`: the bytes were dropped as they arrived, never buffered. */
  tooLarge: boolean;
};

export type UploadForm = {
  fields: URLSearchParams;
  files: UploadedFile[];
  /** More than `maxFiles` files came; the extra ones were not read. */
  tooManyFiles: boolean;
  /**
   * Parts whose headers could not be read (e.g. an unescaped quote in a file name, as old curl
   * sends it). They may have been files, so a caller refuses the form rather than lose one quietly.
   */
  unreadableParts: number;
};

export type UploadFormLimits = {
  /** The one field that carries files; files under any other name are drained and ignored. */
  fileField: string;
  maxFileBytes: number;
  maxFiles: number;
  maxFieldBytes?: number;
  maxParts?: number;
};

/** What a form says next to its file field when `unreadableParts` is not zero. */
export const UNREADABLE_FILE_MESSAGE = 'A file could not be read: its name may hold quotes or semicolons. Rename the file and attach it again.';

const DEFAULT_MAX_FIELD_BYTES = 64 * 1024;
const DEFAULT_MAX_PARTS = 500;
const refuse = (status: number, message: string) => new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/**
 * Counts multipart delimiters as the body streams past, so parts that busboy skips without a word
 * (a malformed header) still show up: every delimiter but the closing one starts a part. Busboy
 * treats the body as if it began with CRLF, so the count starts from one too.
 */
function delimiterCounter(contentType: string): { push(chunk: Uint8Array): void; parts(): number } {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (!boundary) return { push() {}, parts: () => 0 };
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  let tail = Buffer.from('\r\n');
  let count = 0;
  return {
    push(chunk) {
      // The kept tail is shorter than the delimiter, so a match found here always ends in `chunk`.
      const window = Buffer.concat([tail, chunk]);
      for (let at = window.indexOf(delimiter); at !== -1; at = window.indexOf(delimiter, at + delimiter.length)) count++;
      tail = window.subarray(Math.max(0, window.length - delimiter.length + 1));
    },
    parts: () => Math.max(0, count - 1),
  };
}

/**
 * Reads a form post (multipart or URL-encoded) as it streams in. A file is held only up to
 * `maxFileBytes` (a bigger one is marked, not buffered), only `maxFiles` are kept, a text field
 * over `maxFieldBytes` (64 KB) or more than `maxParts` parts answer 413. File names are parsed
 * strictly by busboy and kept only as a sanitised label.
 */
export async function readUploadForm(request: Request, limits: UploadFormLimits): Promise<UploadForm> {
  const form: UploadForm = { fields: new URLSearchParams(), files: [], tooManyFiles: false, unreadableParts: 0 };
  // Web streams are async iterable in Node; the DOM typings do not say so.
  const body = request.body as AsyncIterable<Uint8Array> | null;
  if (!body) return form;
  const contentType = request.headers.get('Content-Type') ?? '';
  const maxFieldBytes = limits.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      // One more byte than allowed, so a field or file of exactly the limit is not cut.
      limits: { fieldSize: maxFieldBytes + 1, fileSize: limits.maxFileBytes + 1, parts: limits.maxParts ?? DEFAULT_MAX_PARTS, fieldNameSize: 200 },
    });
  } catch {
    throw refuse(415, 'Send the form as multipart/form-data or application/x-www-form-urlencoded.');
  }

  let fieldTooLong = false;
  let tooManyParts = false;
  let partsRead = 0;
  parser.on('field', (name, value, info) => {
    partsRead++;
    if (info.valueTruncated) fieldTooLong = true;
    // A file part without a file name (an empty file input) arrives as text: a real one must not vanish.
    else if (name === limits.fileField) form.unreadableParts += value === '' ? 0 : 1;
    else form.fields.append(name, value);
  });
  // A browser sends an empty, nameless part for an input where no file was chosen: it takes no
  // place among the files until it brings bytes. An empty file with a name was chosen (a photo
  // still syncing, a broken export), so it is kept for the caller to refuse by name.
  const noFileYet = new Set<UploadedFile>();
  parser.on('file', (name, stream, info) => {
    partsRead++;
    // A body cut short fails the file stream too; the parser's own error already refuses the form.
    stream.on('error', () => {});
    if (name !== limits.fileField || form.files.length - noFileYet.size >= limits.maxFiles) {
      // Drained unread; an extra chosen file is one too many, even an empty one.
      if (name === limits.fileField) {
        if (info.filename) form.tooManyFiles = true;
        else stream.once('data', () => (form.tooManyFiles = true));
      }
      stream.resume();
      return;
    }
    const file: UploadedFile = { label: fileLabel(info.filename), bytes: Buffer.alloc(0), tooLarge: false };
    const chunks: Buffer[] = [];
    form.files.push(file);
    if (!info.filename) noFileYet.add(file);
    stream.on('data', (chunk: Buffer) => {
      noFileYet.delete(file);
      if (!file.tooLarge) chunks.push(chunk);
    });
    stream.on('limit', () => {
      file.tooLarge = true;
      chunks.length = 0;
    });
    stream.on('end', () => {
      if (!file.tooLarge) file.bytes = Buffer.concat(chunks);
      if (noFileYet.delete(file)) form.files.splice(form.files.indexOf(file), 1);
    });
  });
  parser.on('partsLimit', () => {
    tooManyParts = true;
  });

  const delimiters = delimiterCounter(contentType);
  try {
    await pipeline(async function* countDelimiters() {
      for await (const chunk of body) {
        delimiters.push(chunk);
        yield chunk;
      }
    }, parser);
  } catch {
    throw refuse(400, 'The form could not be read. Reload the page and send it again.');
  }
  if (fieldTooLong) throw refuse(413, 'A form field is too long.');
  if (tooManyParts) throw refuse(413, 'The form has too many fields.');
  form.unreadableParts += Math.max(0, delimiters.parts() - partsRead);
  return form;
}
