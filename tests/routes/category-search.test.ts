import { loader as searchLoader } from '~/routes/report_.categories';
import { settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const search = (host: string, query: string) => settle(searchLoader({ request: new Request(`${host}/report/categories${query}`), params: {}, context: { clientIp: '10.9.0.1' } }));
type Page = { q: string; searched: boolean; error: string | null; matches: { code: string }[]; groups: { group: string; categories: { code: string }[] }[] };

describe('the category search without JavaScript (/report/categories)', () => {
  it('finds what people type: misspelt, run together, plural, or another word for it', async () => {
    for (const [q, code] of [
      ['streetlite', 'streetlight'],
      ['pot holes', 'pothole'],
      ['rubbish', 'missed-trash-pickup'],
      ['car', 'abandoned-vehicle'],
    ]) {
      const response = await search(SOMERVILLE, `?q=${encodeURIComponent(q!)}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect([q, page.matches[0]?.code]).toEqual([q, code]);
      expect(page.searched).toBe(true);
    }
  });

  it('lists every category, grouped, with or without a search, and says when nothing matches', async () => {
    const all = (await (await search(SOMERVILLE, '')).json()) as Page;
    expect(all).toMatchObject({ searched: false, matches: [] });
    expect(all.groups.flatMap((g) => g.categories.map((c) => c.code))).toEqual(expect.arrayContaining(['pothole', 'streetlight', 'other']));
    const none = (await (await search(SOMERVILLE, '?q=dragon')).json()) as Page;
    expect(none).toMatchObject({ searched: true, matches: [] });
    expect(none.groups).toEqual(all.groups);
  });

  it('refuses an over-long search with a message next to the field, keeping what was typed', async () => {
    const typed = 'pothole '.repeat(20);
    const response = await search(SOMERVILLE, `?q=${encodeURIComponent(typed)}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ q: typed, error: 'Use at most 100 characters', searched: false, matches: [] });
  });

  it('answers 400 for control characters and 404 on the statewide site', async () => {
    expect((await search(SOMERVILLE, '?q=pot%00hole')).status).toBe(400);
    expect((await search('http://localhost:3000', '?q=pothole')).status).toBe(404);
  });
});
