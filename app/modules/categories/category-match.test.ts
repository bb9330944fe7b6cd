import { readFileSync } from 'node:fs';
import { checkKeywords, KEYWORD_LIMITS, matchCategories, searchKeys, singular, splitKeywords, WHOLE_QUERY_MATCH, type SearchableCategory } from './category-match';

type Listed = SearchableCategory & { code: string };

// The town defaults' names with the keywords the registry gives them (their own, else their program category's).
const program = JSON.parse(readFileSync('tenants/_program/categories.json', 'utf8')) as { code: string; defaultKeywords: string[] }[];
const defaults = JSON.parse(readFileSync('tenants/_defaults/categories.json', 'utf8')) as { code: string; name: string; group: string; programCategory: string; keywords?: string[] }[];
const TOWN: Listed[] = defaults.map((c) => ({ code: c.code, name: c.name, group: c.group, keywords: c.keywords ?? program.find((p) => p.code === c.programCategory)!.defaultKeywords }));

const codes = (query: string, list: Listed[] = TOWN) => matchCategories(query, list).map((c) => c.code);
const first = (query: string, list?: Listed[]) => codes(query, list)[0];

describe('matchCategories', () => {
  it('finds a category by its name, whatever the case, accents or punctuation', () => {
    expect(first('Graffiti')).toBe('graffiti');
    expect(first('GRAFFITI!')).toBe('graffiti');
    expect(first('graffití')).toBe('graffiti');
    expect(first('snow & ice')).toBe('snow-ice');
  });

  it('is tolerant of spacing: words run together or split apart', () => {
    expect(first('pot hole')).toBe('pothole');
    expect(first('pothole')).toBe('pothole');
    expect(first('street light')).toBe('streetlight');
    expect(first('streetlight')).toBe('streetlight');
    expect(first('  street   light  ')).toBe('streetlight');
    // A keyword written apart ("street lamp") is found when typed as one word, and the other way round.
    expect(first('streetlamp')).toBe('streetlight');
    expect(first('lamppost')).toBe('streetlight');
  });

  it('is tolerant of plurals', () => {
    expect(first('potholes')).toBe('pothole');
    expect(first('pot holes')).toBe('pothole');
    expect(first('street lights')).toBe('streetlight');
    expect(first('branches')).toBe('tree');
    expect(first('mice')).toBe('other');
  });

  it('is tolerant of small typos and common respellings', () => {
    expect(first('streetlite')).toBe('streetlight');
    expect(first('stretlight')).toBe('streetlight');
    expect(first('grafitti')).toBe('graffiti');
    expect(first('pothloe')).toBe('pothole');
    expect(first('sidewlak')).toBe('damaged-sidewalk');
    expect(first('abandonned vehicle')).toBe('abandoned-vehicle');
  });

  it('finds categories by their keywords and synonyms', () => {
    expect(first('garbage')).toBe('missed-trash-pickup');
    expect(first('rubbish')).toBe('missed-trash-pickup');
    expect(first('car')).toBe('abandoned-vehicle');
    expect(first('noise')).toBe('other');
    expect(first('rat')).toBe('other');
    expect(first('rats')).toBe('other');
    expect(first('spray paint')).toBe('graffiti');
    expect(first('hole in the road')).toBe('pothole');
  });

  it('finds a category while its name is still being typed, from four letters on', () => {
    expect(first('potho')).toBe('pothole');
    expect(first('graff')).toBe('graffiti');
    expect(codes('pot')).toEqual(['pothole']); // a whole word of the keyword "pot hole"
  });

  it('finds the category in a phrase with other words in it', () => {
    expect(first('big pothole on my street')).toBe('pothole');
    expect(first('the street light is out')).toBe('streetlight');
    expect(first('dead rat in the alley')).toBe('other');
    // A word of the name counts for more than one word of a keyword ("broken pavement", "sign down").
    expect(first('broken light')).toBe('streetlight');
    expect(first('tree down')).toBe('tree');
  });

  it('ranks a match of the whole query above one of some of its words, and keeps the town order among equals', () => {
    expect(codes('car').slice(0, 2)).toEqual(['abandoned-vehicle', 'illegal-parking']);
    const list: Listed[] = [
      { code: 'b', name: 'Broken bench', keywords: [] },
      { code: 'a', name: 'Bench', keywords: [] },
      { code: 'c', name: 'Park bench', keywords: [] },
    ];
    expect(codes('bench', list)).toEqual(['a', 'b', 'c']);
  });

  it('gives no false positives for short words, and needs a whole word below four letters', () => {
    // "rat" is in "graffiti"? No, but it is in "grate", "separate" and "rate".
    const list: Listed[] = [
      { code: 'grate', name: 'Broken grate', keywords: ['separated curb'] },
      { code: 'rate', name: 'Water rate question', keywords: [] },
      { code: 'rodents', name: 'Rodents', keywords: ['rat', 'mice'] },
    ];
    expect(codes('rat', list)).toEqual(['rodents']);
    expect(codes('ice')).toEqual(['snow-ice']); // never "police" or "notice"
    expect(codes('tree')).toEqual(['tree']); // never "street"
    expect(codes('car', [{ code: 'cardboard', name: 'Cardboard recycling', keywords: ['cart'] }])).toEqual([]);
    expect(codes('out', [{ code: 'outage', name: 'Power outage', keywords: [] }])).toEqual([]);
    expect(codes('a')).toEqual([]);
    expect(codes('xq')).toEqual([]);
  });

  it('does not match unrelated words, or stopwords alone', () => {
    expect(codes('dragon')).toEqual([]);
    expect(codes('the of and')).toEqual([]);
    expect(codes('')).toEqual([]);
    expect(codes('   ')).toEqual([]);
    expect(codes('!!!')).toEqual([]);
  });

  it('ranks the category name above a match on its group only', () => {
    const list: Listed[] = [
      { code: 'parking', name: 'Illegal parking', group: 'Parking & vehicles', keywords: [] },
      { code: 'abandoned', name: 'Abandoned vehicle', group: 'Parking & vehicles', keywords: [] },
    ];
    expect(codes('vehicle', list)).toEqual(['abandoned', 'parking']);
  });
});

describe('matching the whole query only (the request list)', () => {
  const whole = (query: string) => matchCategories(query, TOWN, { minScore: WHOLE_QUERY_MATCH }).map((c) => c.code);
  it('keeps categories the whole query names, not those sharing one word with it', () => {
    expect(whole('streetlite')).toEqual(['streetlight']);
    expect(whole('street lights')).toEqual(['streetlight']);
    expect(whole('pot holes')).toEqual(['pothole']);
    expect(whole('garbage')).toEqual(['missed-trash-pickup']);
    expect(whole('elm street')).toEqual([]);
    expect(whole('broken light')).toEqual([]);
  });
});

describe('search keys', () => {
  it('folds plurals to singular', () => {
    expect(['potholes', 'branches', 'alleys', 'bodies', 'glasses', 'bus', 'status', 'debris', 'leaves', 'rats'].map(singular)).toEqual([
      'pothole',
      'branch',
      'alley',
      'body',
      'glass',
      'bus',
      'status',
      'debris',
      'leaf',
      'rat',
    ]);
  });

  it('leaves out stopwords and folds spellings', () => {
    expect(searchKeys('The street light on my road')).toEqual(searchKeys('streeet lite roads'));
    expect(searchKeys("Don't")).toEqual(['dont']);
  });
});

describe('checkKeywords', () => {
  it('stores keywords trimmed, single-spaced, lower case, without blanks or repeats that search alike', () => {
    expect(checkKeywords(splitKeywords('  Pot  Hole \n\n pot holes, Crater;crater'))).toEqual({ keywords: ['pot hole', 'crater'] });
    expect(checkKeywords([])).toEqual({ keywords: [] });
  });

  it('refuses too many, too long, or one without a letter or digit', () => {
    const many = Array.from({ length: KEYWORD_LIMITS.perCategory + 1 }, (_, i) => `word ${i}`);
    expect(checkKeywords(many)).toEqual({ problem: { code: 'too_many', max: KEYWORD_LIMITS.perCategory } });
    const long = 'x'.repeat(KEYWORD_LIMITS.length + 1);
    expect(checkKeywords(['fine', long])).toEqual({ problem: { code: 'too_long', keyword: long, max: KEYWORD_LIMITS.length } });
    expect(checkKeywords(['fine', '?!'])).toEqual({ problem: { code: 'no_letters', keyword: '?!' } });
    expect(checkKeywords(['mice', 'Mouse'], { repeats: 'refuse' })).toEqual({ problem: { code: 'repeated', keyword: 'mouse', earlier: 'mice' } });
  });
});
