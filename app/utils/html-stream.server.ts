import { Transform } from 'node:stream';

/**
 * React 18's streaming renderer can flush the unused tail of its 2 KB buffer as NUL bytes when a
 * multi-byte character does not fit (facebook/react#26228, fixed only in React 19). HTML never
 * contains NUL, so each chunk loses its trailing NULs on the way out.
 */
export function withoutTrailingNulls(chunk: Buffer): Buffer {
  let end = chunk.length;
  while (end > 0 && chunk[end - 1] === 0) end--;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}

export function htmlBodyStream(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, withoutTrailingNulls(chunk));
    },
  });
}
