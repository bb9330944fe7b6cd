import { rawMultipartRequest } from '../../tests/requests';
import { fileLabel } from './file-label';
import { readUploadForm, type UploadFormLimits } from './multipart.server';

const URL_ = 'http://somerville.localhost:3000/report';
const LIMITS: UploadFormLimits = { fileField: 'photos', maxFileBytes: 1000, maxFiles: 2 };
const photo = (filename: string, size = 10) => ({ name: 'photos', filename, bytes: Buffer.alloc(size, 7) });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
  throw new Error('expected the form to be refused');
}

describe('readUploadForm', () => {
  it('reads text fields in order and the files of the file field, with a label for each', async () => {
    const form = await readUploadForm(
      rawMultipartRequest(URL_, [{ name: 'q.kind', value: 'a' }, { name: 'description', value: 'Hole ☕' }, photo('IMG 1.jpg'), { name: 'q.kind', value: 'b' }]),
      LIMITS,
    );
    expect([...form.fields]).toEqual([
      ['q.kind', 'a'],
      ['description', 'Hole ☕'],
      ['q.kind', 'b'],
    ]);
    expect(form.files).toEqual([{ label: 'IMG 1.jpg', bytes: Buffer.alloc(10, 7), tooLarge: false }]);
    expect(form).toMatchObject({ tooManyFiles: false, unreadableParts: 0 });
  });

  it('keeps a file of exactly the limit and marks a bigger one without holding its bytes', async () => {
    const form = await readUploadForm(rawMultipartRequest(URL_, [photo('fits.jpg', 1000), photo('big.jpg', 5000)]), LIMITS);
    expect(form.files.map((f) => [f.label, f.tooLarge, f.bytes.length])).toEqual([
      ['fits.jpg', false, 1000],
      ['big.jpg', true, 0],
    ]);
  });

  it('reads only maxFiles files, says more came, and ignores files under other names and empty file inputs', async () => {
    const form = await readUploadForm(
      rawMultipartRequest(URL_, [photo('1.jpg'), { name: 'other', filename: 'x.jpg', bytes: Buffer.alloc(5) }, photo('', 0), photo('2.jpg'), photo('3.jpg')]),
      LIMITS,
    );
    expect(form.files.map((f) => f.label)).toEqual(['1.jpg', '2.jpg']);
    expect(form.tooManyFiles).toBe(true);
  });

  it('keeps a chosen file that is empty, so it is refused by name rather than dropped, and drops the empty part of an unused input', async () => {
    const noFileChosen = { name: 'photos', filename: '', bytes: Buffer.alloc(0), type: 'application/octet-stream' };
    const form = await readUploadForm(rawMultipartRequest(URL_, [noFileChosen, photo('empty.jpg', 0), photo('fine.jpg')]), LIMITS);
    expect(form.files).toEqual([
      { label: 'empty.jpg', bytes: Buffer.alloc(0), tooLarge: false },
      { label: 'fine.jpg', bytes: Buffer.alloc(10, 7), tooLarge: false },
    ]);
    expect(form).toMatchObject({ tooManyFiles: false, unreadableParts: 0 });
    const extraEmpty = await readUploadForm(rawMultipartRequest(URL_, [photo('1.jpg'), photo('2.jpg'), photo('3.jpg', 0)]), LIMITS);
    expect(extraEmpty.tooManyFiles).toBe(true);
  });

  it('counts a part whose header cannot be read instead of dropping it silently, and keeps the rest', async () => {
    const form = await readUploadForm(rawMultipartRequest(URL_, [{ name: 'description', value: 'Kept' }, photo('a=b;c".jpg'), photo('fine.jpg')]), LIMITS);
    expect(form.unreadableParts).toBe(1);
    expect(form.fields.get('description')).toBe('Kept');
    expect(form.files.map((f) => f.label)).toEqual(['fine.jpg']);
  });

  it('answers 413 for a text field over 64 KB and for too many parts', async () => {
    expect(await refusal(readUploadForm(rawMultipartRequest(URL_, [{ name: 'description', value: 'x'.repeat(64 * 1024 + 1) }]), LIMITS))).toEqual({
      status: 413,
      text: 'A form field is too long.',
    });
    const fields = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    expect((await refusal(readUploadForm(rawMultipartRequest(URL_, fields), { ...LIMITS, maxParts: 10 }))).status).toBe(413);
  });

  it('reads URL-encoded forms under the same field limit', async () => {
    const post = (body: string) => new Request(URL_, { method: 'POST', body: new URLSearchParams({ intent: 'confirm', candidate: body }) });
    const form = await readUploadForm(post('{"type":"Polygon"}'), LIMITS);
    expect(Object.fromEntries(form.fields)).toEqual({ intent: 'confirm', candidate: '{"type":"Polygon"}' });
    expect((await refusal(readUploadForm(post('x'.repeat(2000)), { ...LIMITS, maxFieldBytes: 1000 }))).status).toBe(413);
  });

  it('answers 415 for other bodies and 400 for a multipart body cut short', async () => {
    expect((await refusal(readUploadForm(new Request(URL_, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }), LIMITS))).status).toBe(415);
    const whole = await rawMultipartRequest(URL_, [photo('cut.jpg', 500)]).arrayBuffer();
    const cut = new Request(URL_, { method: 'POST', body: whole.slice(0, 300), headers: { 'Content-Type': rawContentType(whole) } });
    expect((await refusal(readUploadForm(cut, LIMITS))).status).toBe(400);
  });
});

/** The boundary is the first line of a body that rawMultipartRequest wrote. */
function rawContentType(body: ArrayBuffer): string {
  const firstLine = Buffer.from(body).toString('latin1').split('\r\n')[0]!;
  return `multipart/form-data; boundary=${firstLine.slice(2)}`;
}

describe('fileLabel', () => {
  it.each([
    ['IMG_0001.jpg', 'IMG_0001.jpg'],
    ['a\u0000b\u001b[31m.jpg', 'ab[31m.jpg'],
    ['evil\u202egpj.exe', 'evilgpj.exe'],
    ['  lots   of\tspace  ', 'lots of space'],
    ['', 'The photo'],
    [undefined, 'The photo'],
    ['x'.repeat(100), `${'x'.repeat(59)}…`],
  ])('%j → %j', (name, label) => {
    expect(fileLabel(name)).toBe(label);
  });
});
