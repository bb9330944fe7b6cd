import { unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node';

export type UploadedFile = { bytes: Buffer; tooLarge: boolean };

const FIELD_MAX_BYTES = 64 * 1024;

/**
 * Reads an admin form that may carry one file. The file is never held beyond `maxFileBytes`: a
 * bigger one is cut off and marked, so the page can answer 413 with a message instead of a crash.
 * Other file parts are ignored; a text field over 64 KB is refused (413).
 */
export async function readUploadForm(request: Request, fileField: string, maxFileBytes: number): Promise<{ fields: URLSearchParams; file: UploadedFile | null }> {
  const contentType = request.headers.get('Content-Type') ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return { fields: new URLSearchParams(await request.text()), file: null };
  }
  let file: UploadedFile | null = null;
  const uploadHandler: UploadHandler = async ({ name, filename, data }) => {
    const isFile = filename !== undefined;
    const limit = isFile ? maxFileBytes : FIELD_MAX_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
      else if (!isFile) throw new Response('A form field is too long.', { status: 413 });
    }
    if (!isFile) return Buffer.concat(chunks).toString('utf8');
    // A browser sends an empty part when no file was chosen.
    if (name === fileField && size > 0) file = { bytes: Buffer.concat(chunks), tooLarge: size > maxFileBytes };
    return undefined;
  };
  const formData = await unstable_parseMultipartFormData(request, uploadHandler);
  const fields = new URLSearchParams();
  for (const [key, value] of formData) if (typeof value === 'string') fields.append(key, value);
  return { fields, file };
}
