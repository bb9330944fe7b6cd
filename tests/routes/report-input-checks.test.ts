import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { serviceRequests } from '#db/schema';
import { withTown } from '#db/scope';
import { action as reportAction } from '~/routes/report';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { townBySlug } from '../factories';
import { PLACES, rawMultipartRequest, reportRequest, settle, storedUploads } from '../requests';
import { uuidv7 } from '#db/ids';

const SOMERVILLE = 'http://somerville.localhost:3000';
const submit = (request: Request) => settle(reportAction({ request, params: {}, context: { clientIp: '10.1.1.2' } }));
const requestCount = async () => (await getDatabase().db.select().from(serviceRequests)).length;

async function filedIn(response: Response) {
  const trackingNumber = new URL(response.headers.get('Location')!).pathname.split('/').pop()!;
  const somerville = await townBySlug('somerville');
  const [row] = await withTown(somerville.id, (tx) => tx.select().from(serviceRequests).where(eq(serviceRequests.trackingNumber, trackingNumber)));
  return row!;
}

describe('a chosen photo that is empty', () => {
  it('is refused by name next to the photos, keeping what was typed, and nothing is stored', async () => {
    const jpeg = await makeJpegWithGps(PLACES.somervilleCityHall);
    const before = { requests: await requestCount(), uploads: (await storedUploads()).length };
    const response = await submit(
      reportRequest(SOMERVILLE, { category: 'pothole', description: 'Two photos, one empty' }, {
        photos: [
          { name: 'IMG_0001.jpg', bytes: jpeg },
          { name: 'IMG_0002.jpg', bytes: Buffer.alloc(0) },
        ],
      }),
    );
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors).toEqual({ photos: '“IMG_0002.jpg”: This file is empty; choose the photo again.' });
    expect(body.values.description).toBe('Two photos, one empty');
    expect(await requestCount()).toBe(before.requests);
    expect((await storedUploads()).length).toBe(before.uploads);
  });

  it('is told apart from the empty part a browser sends when no photo was chosen, which files as usual', async () => {
    const response = await submit(
      rawMultipartRequest(`${SOMERVILLE}/report`, [
        { name: 'idempotencyKey', value: uuidv7() },
        { name: 'category', value: 'pothole' },
        { name: 'description', value: 'No photo chosen' },
        { name: 'lat', value: '42.3876' },
        { name: 'lng', value: '-71.0995' },
        { name: 'photos', filename: '', bytes: Buffer.alloc(0), type: 'application/octet-stream' },
      ]),
    );
    expect(response.status).toBe(302);
  });
});

describe('typed coordinates', () => {
  it('accept a decimal comma', async () => {
    const response = await submit(reportRequest(SOMERVILLE, { category: 'graffiti', description: 'Comma decimals', lat: '42,3876', lng: '-71,0995', locationSource: 'coordinates' }));
    expect(response.status).toBe(302);
    const row = await filedIn(response);
    expect(row.lat).toBeCloseTo(42.3876, 6);
    expect(row.lng).toBeCloseTo(-71.0995, 6);
  });

  it('record a point the form took from a photo’s GPS as located by the photo', async () => {
    const response = await submit(reportRequest(SOMERVILLE, { category: 'other', description: 'Pin from the photo', lat: '42.387600', lng: '-71.099500', locationSource: 'photo' }));
    expect(response.status).toBe(302);
    const row = await filedIn(response);
    expect(row.locationSource).toBe('photo');
  });

  it.each([
    [{ lat: '42,3876, -71,0995' }, 'lat', /latitude and longitude together: put only the latitude here/],
    [{ lat: '42.3876, -71.0995', lng: '-71.0995' }, 'lat', /latitude and longitude together/],
    [{ lat: '42.3876', lng: '42,3876 -71,0995' }, 'lng', /put only the longitude here/],
  ])('refuse both coordinates pasted into one field (%j) next to it, and store nothing', async (location, field, message) => {
    const before = await requestCount();
    const response = await submit(reportRequest(SOMERVILLE, { category: 'pothole', description: 'Pasted a pair', ...location }));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors[field]).toMatch(message);
    expect(body.values.description).toBe('Pasted a pair');
    expect(await requestCount()).toBe(before);
  });
});
