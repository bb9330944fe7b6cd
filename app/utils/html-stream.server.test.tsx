import { renderToPipeableStream } from 'react-dom/server';
import { text } from 'node:stream/consumers';
import { htmlBodyStream, withoutTrailingNulls } from './html-stream.server';

describe('the HTML body stream', () => {
  it('drops the NUL bytes React 18 leaves at the end of a chunk, and nothing else', () => {
    expect(withoutTrailingNulls(Buffer.from([0x3c, 0x70, 0, 0]))).toEqual(Buffer.from([0x3c, 0x70]));
    expect(withoutTrailingNulls(Buffer.from('Salem’s'))).toEqual(Buffer.from('Salem’s'));
  });

  it('carries a page whose multi-byte characters straddle React’s buffer without a single NUL', async () => {
    // Many short text chunks with ’ (three bytes in UTF-8): one of them falls on the 2,048-byte boundary of React's view.
    const page = Array.from({ length: 400 }, (_, i) => <span key={i}>{`${'’'.repeat(1 + (i % 40))} ${i}`}</span>);
    const html = await new Promise<string>((resolve, reject) => {
      const { pipe } = renderToPipeableStream(<p>{page}</p>, {
        onAllReady() {
          const body = htmlBodyStream();
          pipe(body);
          text(body).then(resolve, reject);
        },
        onError: reject,
      });
    });
    expect(html).toContain('’ 399');
    expect(html.includes('\u0000')).toBe(false);
  });
});
