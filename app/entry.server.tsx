import { htmlBodyStream } from '~/utils/html-stream.server';
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { i18nForDocument } from '~/i18n/i18n.server';
import { NonceProvider } from '~/utils/nonce-provider';

const ABORT_DELAY_MS = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Bots and no-JS crawlers get the whole document at once; browsers get it streamed.
  const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady';
  // The Express layer set this response's CSP (app/utils/http-app.server.ts); inline scripts carry its nonce.
  const nonce = loadContext.cspNonce ?? '';
  const i18n = await i18nForDocument(request);
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const tree = (
      <I18nextProvider i18n={i18n}>
        <NonceProvider value={nonce}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
        </NonceProvider>
      </I18nextProvider>
    );
    const { pipe, abort } = renderToPipeableStream(tree, {
      nonce,
      [readyEvent]() {
        shellRendered = true;
        const body = htmlBodyStream();
        responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY_MS);
  });
}
