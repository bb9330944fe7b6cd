import type { ServerResponse } from 'node:http';

/**
 * Runs `apply` just before the status line and headers go out, after every handler (Remix,
 * static files, our own refusals) has set its own, so middleware can read, fill in or override
 * them. `apply` gets the status being sent.
 */
export function beforeHeadersSent(res: ServerResponse, apply: (statusCode: number) => void): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    apply(args[0]);
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}
