import { loader as homeLoader } from '~/routes/_index';
import { resolveSite, resolveTenantFromHost, siteOrigin } from './town.server';

describe('resolveTenantFromHost', () => {
  const saved = process.env.ROOT_DOMAIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.ROOT_DOMAIN;
    else process.env.ROOT_DOMAIN = saved;
  });

  it.each([
    ['localhost:3000', { kind: 'statewide' }],
    ['somerville.localhost:3000', { kind: 'town', slug: 'somerville' }],
    ['New-Bedford.localhost', { kind: 'town', slug: 'new-bedford' }],
    ['a.b.localhost', { kind: 'unknown' }],
    // An IP-literal Host is not the statewide site: links and cookies must never follow it.
    ['127.0.0.1:3000', { kind: 'unknown' }],
    ['[::1]:3000', { kind: 'unknown' }],
    ['example.com', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
  ])('%s → %j', (host, expected) => {
    expect(resolveTenantFromHost(host)).toEqual(expected);
  });

  it('uses ROOT_DOMAIN in production, never just the first label', () => {
    process.env.ROOT_DOMAIN = 'connect.mass.gov';
    expect(resolveTenantFromHost('connect.mass.gov')).toEqual({ kind: 'statewide' });
    expect(resolveTenantFromHost('www.connect.mass.gov')).toEqual({ kind: 'statewide' });
    expect(resolveTenantFromHost('malden.connect.mass.gov')).toEqual({ kind: 'town', slug: 'malden' });
    expect(resolveTenantFromHost('malden.evil.example')).toEqual({ kind: 'unknown' });
    expect(resolveTenantFromHost('malden.connect.mass.gov.evil.example')).toEqual({ kind: 'unknown' });
  });
});

describe('resolveSite', () => {
  it('finds a registered town and builds links to other sites from the configured scheme and port', async () => {
    const request = new Request('http://somerville.localhost:3000/x');
    const site = await resolveSite({ request, context: { clientIp: '1' } });
    expect(site).toMatchObject({ kind: 'town', town: { slug: 'somerville', name: 'Somerville', trackingCode: 'SOM' } });
    expect(siteOrigin(null)).toBe('http://localhost:3000');
    expect(siteOrigin('malden')).toBe('http://malden.localhost:3000');
  });

  it('answers 404 for a subdomain that is not a participating town, linking the statewide site', async () => {
    const thrown = await resolveSite({ request: new Request('http://boston.localhost:3000/'), context: { clientIp: '1' } }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      message: 'There is no Commonwealth Connect site at boston.localhost.',
      statewideOrigin: 'http://localhost:3000',
    });
  });
});

describe('home pages', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the two page kinds are checked field by field below
  const load = async (url: string): Promise<any> => (await homeLoader({ request: new Request(url), params: {}, context: { clientIp: '1' } })).json();

  it('the statewide site lists every participating town with a link to its subdomain', async () => {
    const data = await load('http://localhost:3000/');
    expect(data.kind).toBe('statewide');
    expect(data.towns).toHaveLength(45);
    expect(data.towns.find((t: { slug: string }) => t.slug === 'somerville').href).toBe('http://somerville.localhost:3000');
    expect(data.map.shapes).toHaveLength(351);
  });

  it("a town's site shows its own name, colour and categories", async () => {
    const data = await load('http://malden.localhost:3000/');
    expect(data.town).toMatchObject({ name: 'Malden', slug: 'malden' });
    expect(data.town.accentColor).toMatch(/^#[0-9a-f]{6}$/);
    const codes = data.categories.flatMap((g: { categories: { code: string }[] }) => g.categories.map((c) => c.code));
    expect(codes).toEqual(expect.arrayContaining(['pothole', 'streetlight', 'graffiti', 'missed-trash-pickup', 'snow-ice', 'abandoned-vehicle', 'other']));
  });
});
