import { http, HttpResponse } from 'msw';

export type SentEmail = { body: Record<string, unknown>; idempotencyKey: string | null };

/** Resend's send endpoint, answering like the real API and recording what the SDK sent. */
export function resendHandlers(sent: SentEmail[], options: { failTimes?: number } = {}) {
  let failures = options.failTimes ?? 0;
  return [
    http.post('https://api.resend.com/emails', async ({ request }) => {
      if (failures > 0) {
        failures--;
        return HttpResponse.json({ name: 'internal_server_error', message: 'Resend is having a bad day', statusCode: 500 }, { status: 500 });
      }
      sent.push({ body: (await request.json()) as Record<string, unknown>, idempotencyKey: request.headers.get('Idempotency-Key') });
      return HttpResponse.json({ id: `email_${sent.length}` });
    }),
  ];
}
