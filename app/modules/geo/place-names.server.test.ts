import { readFileSync } from 'node:fs';
import { listMunicipalities } from './municipalities.server';
import { buildPlaceIndex, type PlaceNameFile } from './place-names';
import { placeIndex, recognisePlace } from './place-names.server';

const slugOf = (text: string) => recognisePlace(text)?.municipality?.slug ?? null;

describe('recognising the municipality in a typed address', () => {
  it.each([
    ['1 City Hall Sq, Boston, MA 02201', 'boston'],
    ['123 Centre St, West Roxbury, MA 02132', 'boston'],
    ['45 Centre St Jamaica Plain', 'boston'],
    ['Dorchester Ave & Broadway, South Boston', 'boston'],
    ['Hyde Park Ave, Hyde Park', 'boston'],
    ['Chestnut Hill Ave, Brighton', 'boston'],
    ['West Newton St, Boston', 'boston'],
    ['1000 Commonwealth Ave, Newton Centre', 'newton'],
    ['1 Grove St, Newton Center, MA 02459', 'newton'],
    ['Washington St, West Newton MA', 'newton'],
    ['Newtonville Ave, Newton', 'newton'],
    ['Hammond Pond Pkwy, Chestnut Hill, Newton', 'newton'],
    ['Boylston St, Chestnut Hill, Brookline MA', 'brookline'],
    ['540 Main St, Hyannis, MA 02601', 'barnstable'],
    ['Wianno Ave Osterville', 'barnstable'],
    ["Route 149, Marston's Mills", 'barnstable'],
    ['Main St, Florence', 'northampton'],
    ['Water St, Woods Hole', 'falmouth'],
    ['Springfield St, Feeding Hills, MA 01030', 'agawam'],
    ['Main St, Indian Orchard', 'springfield'],
    ['Avenue A, Turners Falls', 'montague'],
    ['Main St, Vineyard Haven', 'tisbury'],
    ['Beale St, Wollaston', 'quincy'],
    ['Elm St, Saxonville', 'framingham'],
    ['Main St, North Easton', 'easton'],
    ['Boston Rd, Billerica', 'billerica'],
    ['Boston Post Rd, Sudbury', 'sudbury'],
    ['Salem St, Malden', 'malden'],
    ['Lowell Street, Andover', 'andover'],
    ['North Andover', 'north-andover'],
    ['12 Main St, N. Andover', 'north-andover'],
    ['No. Andover MA', 'north-andover'],
    ['Andover', 'andover'],
    ['Manchester-by-the-Sea', 'manchester-by-the-sea'],
    ['Beach St, Manchester by the Sea', 'manchester-by-the-sea'],
    ['Manchester, MA', 'manchester-by-the-sea'],
    ['Foxboro', 'foxborough'],
    ['W Springfield', 'west-springfield'],
    ['Memorial Ave, West Springfield, MA', 'west-springfield'],
    ['State St, Springfield', 'springfield'],
    ['E. Longmeadow', 'east-longmeadow'],
    ['Mt Washington', 'mount-washington'],
    ['Harvard Square, Cambridge', 'cambridge'],
    ['Harvard Sq', 'cambridge'],
    ['Harvard, MA', 'harvard'],
    ['Davis Sq', 'somerville'],
    ['Attleboro Falls', 'north-attleborough'],
    ['Point Shirley', 'winthrop'],
    ['Norfolk Downs', 'quincy'],
    ['Fall River', 'fall-river'],
    ['New Bedford', 'new-bedford'],
    ['Great Rd, Bedford', 'bedford'],
    ['42 Mass Ave, Arlington MA 02474', 'arlington'],
    ['Bridge St, Shelburne Falls, Shelburne', 'shelburne'],
    ['Gay Head', 'aquinnah'],
    ["Main St, 'Sconset", 'nantucket'],
    ['12 Main St\nWoods Hole', 'falmouth'],
    ['Hyannis MA 02601-1234', 'barnstable'],
    ['  BOSTON  ', 'boston'],
    ['Bóston', 'boston'],
    ['Lincoln School, Brookline', 'brookline'],
    ['Route 9, Worcester Tpke, Framingham', 'framingham'],
    ['corner of Concord Ave and Main St, Lexington', 'lexington'],
    ['Newton Highlands T station', 'newton'],
    ['Main St, Orange', 'orange'],
    ['main st, orange, ma', 'orange'],
    ['Haven St Reading', 'reading'],
    ['orange fence, Boston', 'boston'],
  ])('%j is in %s', (text, slug) => {
    expect(slugOf(text)).toBe(slug);
  });

  it.each([
    ['Boston Road'],
    ['Boston Post Road'],
    ['Salem St'],
    ['Hyde Park Ave'],
    ['Behind the library'],
    ['Nowhere in particular'],
    [''],
    ['Salem, NH'],
    ['Salem NH 03079'],
    ['Warwick, Rhode Island'],
    ['near the orange fence by the reading room'],
  ])('%j names no Massachusetts municipality', (text) => {
    expect(recognisePlace(text)).toBeNull();
  });

  it('says which words named the place and how', () => {
    expect(recognisePlace('123 Centre St, West Roxbury, MA 02132')).toMatchObject({
      municipality: { slug: 'boston', name: 'Boston', townId: expect.any(Number) },
      matched: 'West Roxbury',
      via: 'village',
    });
    expect(recognisePlace('Main St, N. Andover')).toMatchObject({ matched: 'N. Andover', via: 'municipality' });
    expect(recognisePlace('Beach St, Manchester-by-the-Sea, MA')).toMatchObject({ matched: 'Manchester-by-the-Sea', via: 'municipality' });
  });

  it('returns the choices for a shared village name that nothing else settles', () => {
    const place = recognisePlace('Chestnut Hill, MA 02467');
    expect(place).toMatchObject({ municipality: null, matched: 'Chestnut Hill', via: 'village' });
    expect(place!.candidates.map((c) => c.slug)).toEqual(['boston', 'brookline', 'newton']);
    expect(recognisePlace('Newton St, Chestnut Hill')?.municipality).toBeNull();
    expect(recognisePlace('Shelburne Falls')!.candidates.map((c) => c.slug)).toEqual(['buckland', 'shelburne']);
  });

  it('lists every place named, so a caller can see a landmark named after another town', () => {
    expect(recognisePlace('Lincoln School, Brookline')!.mentions.map((m) => [m.matched, m.municipalities[0]!.slug, m.standsAlone])).toEqual([
      ['Lincoln', 'lincoln', false],
      ['Brookline', 'brookline', true],
    ]);
  });

  it('recognises each of the 351 by its own name, in an address', () => {
    const missed = listMunicipalities().filter((m) => slugOf(`1 Main St, ${m.name}, MA`) !== m.slug);
    expect(missed.map((m) => m.name)).toEqual([]);
  });

  it('recognises every listed village as one of its municipalities', () => {
    const file = JSON.parse(readFileSync('tenants/_statewide/place-names.json', 'utf8')) as PlaceNameFile;
    const wrong = Object.entries(file.villages).filter(([name, slugs]) => {
      const place = recognisePlace(`${name}, MA`);
      return !place || place.via !== 'village' || place.candidates.map((c) => c.slug).join() !== [...slugs].sort().join();
    });
    expect(wrong).toEqual([]);
    expect(placeIndex().byFirstWord.size).toBeGreaterThan(300);
  });
});

describe('building the place index', () => {
  const towns = [
    { townId: 1, slug: 'newton', name: 'Newton' },
    { townId: 2, slug: 'boston', name: 'Boston' },
  ];

  it('refuses a village of an unknown municipality and a name listed twice', () => {
    expect(() => buildPlaceIndex(towns, { otherSpellings: {}, villages: { Waban: ['newtown'] } })).toThrow(/"Waban" names an unknown municipality "newtown"/);
    expect(() => buildPlaceIndex(towns, { otherSpellings: {}, villages: { 'Newton Centre': ['newton'], 'Newton Center': ['newton'] } })).toThrow(/"newton center" is listed twice/);
    expect(() => buildPlaceIndex(towns, { otherSpellings: { BOSTON: 'boston' }, villages: {} })).toThrow(/listed twice/);
  });
});
