/**
 * Open311 over real HTTP against the running app, as a client with no browser sends it: through the
 * edge policy (no Origin, urlencoded), with the demo seed's published Somerville key.
 */
import assert from 'node:assert/strict';
import { test } from './fixtures';
import { rawRequest } from './helpers';

test('open311: a client files with the demo key at the apex and reads the request back in XML on the town host', async () => {
  const body = new URLSearchParams({
    jurisdiction_id: 'somerville',
    api_key: 'demo-somerville-open311',
    service_code: 'graffiti',
    lat: '42.3876',
    long: '-71.0995',
    description: 'Tag on the mailbox (Open311 journey)',
    email: 'journey@example.com',
  }).toString();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) };
  const created = await rawRequest({ host: 'connect.test', path: '/open311/v2/requests.json', method: 'POST', headers, body });
  assert.equal(created.status, 201, created.body);
  const id = (JSON.parse(created.body) as [{ service_request_id: string }])[0].service_request_id;
  assert.match(id, /^SOM-\d+$/);

  const read = await rawRequest({ host: 'somerville.connect.test', path: `/open311/v2/requests/${id}.xml`, method: 'GET' });
  assert.equal(read.status, 200);
  assert.match(read.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<service_requests><request><service_request_id>SOM-\d+<\/service_request_id><status>open<\/status>/);
  assert.doesNotMatch(read.body, /journey@example\.com/);

  const refused = await rawRequest({ host: 'connect.test', path: '/open311/v2/requests.xml', method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body.replace('demo-somerville-open311', 'wrong')) }, body: body.replace('demo-somerville-open311', 'wrong') });
  assert.equal(refused.status, 403);
  assert.match(refused.body, /<errors><error><code>403<\/code><description>/);
});
