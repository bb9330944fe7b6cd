/**
 * A town admin connects the town's own system: adds a webhook endpoint, keeps the secret shown once,
 * sees a new request arrive at a real receiver on this machine signed by the Standard Webhooks scheme,
 * reads the delivery log and redelivers by hand; axe on both admin pages.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { test } from './fixtures';
import { assertAccessible, DEMO, rawRequest, screenshot, signIn, town } from './helpers';

type Arrival = { body: string; headers: IncomingHttpHeaders };

async function startReceiver() {
  const arrivals: Arrival[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      arrivals.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}/town-system/hooks`;
  return { arrivals, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 60; i++) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('webhooks: an admin adds an endpoint, a new request arrives signed, the log shows it and it can be redelivered', async ({ page }) => {
  const receiver = await startReceiver();
  try {
    await signIn(page, town('somerville'), DEMO.adminSomerville);
    await page.goto(`${town('somerville')}/admin/webhooks`);
    await assertAccessible(page);
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    for (const event of ['A request\'s status changes', 'A request is assigned', 'Staff reply in public', 'A request is transferred to another town', 'A request becomes overdue']) {
      // USWDS draws its own box: a person clicks the label.
      await page.locator('label', { hasText: event }).click();
      assert.equal(await page.getByLabel(event).isChecked(), false);
    }
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.getByTestId('new-webhook-secret').innerText()).trim();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);

    const body = new URLSearchParams({ api_key: 'demo-somerville-open311', service_code: 'graffiti', lat: '42.3879', long: '-71.0993', description: 'Tag on the bench (webhook journey)' }).toString();
    const filed = await rawRequest({ host: 'somerville.connect.test', path: '/open311/v2/requests.json', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }, body });
    assert.equal(filed.status, 201, filed.body);
    const trackingNumber = (JSON.parse(filed.body) as [{ service_request_id: string }])[0].service_request_id;

    const first = await waitFor('the first delivery', () => receiver.arrivals[0]);
    const event = new Webhook(secret).verify(first.body, first.headers as Record<string, string>) as { type: string; data: { service_request: { service_request_id: string } } };
    assert.equal(event.type, 'request.created');
    assert.equal(event.data.service_request.service_request_id, trackingNumber);

    await page.goto(`${town('somerville')}/admin/webhooks`);
    await page.getByRole('link', { name: `Delivery log of ${receiver.url}` }).click();
    await page.getByRole('heading', { level: 1, name: `Deliveries to ${receiver.url}` }).waitFor();
    const row = page.getByTestId('webhook-delivery').first();
    await row.getByText('Delivered').waitFor();
    assert.match(await row.innerText(), /204/);
    await assertAccessible(page);
    await screenshot(page, 'webhook-delivery-log');

    await row.getByRole('button', { name: /^Redeliver A request is created/ }).click();
    await page.getByText('The event is queued again').waitFor();
    const again = await waitFor('the redelivery', () => receiver.arrivals[1]);
    assert.equal(again.headers['webhook-id'], first.headers['webhook-id']);
    new Webhook(secret).verify(again.body, again.headers as Record<string, string>);

    // Leave the town as it was: the other journeys file Somerville requests too.
    await page.goto(`${town('somerville')}/admin/webhooks`);
    await page.getByRole('button', { name: `Delete ${receiver.url}` }).click();
    await page.getByText(`${receiver.url} is deleted.`).waitFor();
  } finally {
    await receiver.close();
  }
});
