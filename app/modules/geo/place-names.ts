/**
 * Which Massachusetts municipality a typed address or landmark names: "12 Centre St, West Roxbury"
 * is Boston, "Boston Rd, Billerica" is Billerica. Pure and synchronous: the index is built once from
 * the municipality list and the village file (tenants/_statewide/place-names.json), then each
 * lookup is one pass over the words of the text.
 */

export type MunicipalityName = { townId: number; slug: string; name: string };

/** `otherSpellings` name one municipality ("Foxboro"); `villages` name one or, when shared, several ("Chestnut Hill"). */
export type PlaceNameFile = { otherSpellings: Record<string, string>; villages: Record<string, string[]> };

export type PlaceMention = {
  /** The words as the resident typed them. */
  matched: string;
  via: 'municipality' | 'village';
  /** One municipality, or several for a shared village name. */
  municipalities: MunicipalityName[];
  /** Where `matched` is in the text. */
  start: number;
  end: number;
  /** The mention is all there is between two commas (besides "MA" and a ZIP code): where an address puts its town. */
  standsAlone: boolean;
};

export type RecognisedPlace = {
  /** The municipality meant, or null when the deciding name is shared and nothing else in the text settles it. */
  municipality: MunicipalityName | null;
  matched: string;
  via: 'municipality' | 'village';
  /** Every municipality the deciding name can mean: one, or the choices to offer ("Chestnut Hill": Boston, Brookline, Newton). */
  candidates: MunicipalityName[];
  /** Every place named, in order, streets excluded; more than one when the text names a landmark's town too. */
  mentions: PlaceMention[];
};

type IndexedName = { words: string[]; via: PlaceMention['via']; municipalities: MunicipalityName[] };

export type PlaceIndex = { byFirstWord: Map<string, IndexedName[]> };

type Word = { text: string; start: number; end: number; segment: number };

// Written the same way, whether in the text or in the names: "N. Andover", "Newton Center", "Mt Washington".
const WORD_FORMS: Record<string, string> = {
  n: 'north',
  s: 'south',
  e: 'east',
  w: 'west',
  mt: 'mount',
  centre: 'center',
  ctr: 'center',
  gt: 'great',
  hts: 'heights',
  pt: 'point',
  sq: 'square',
};
// "No." and "So." mean north and south only with their full stop: "no" and "so" are words too.
const DOTTED_FORMS: Record<string, string> = { no: 'north', so: 'south' };

// A place name followed by one of these is a street: "Boston Rd", "Salem St", "Hyde Park Ave".
const STREET_SUFFIXES = new Set([
  'rd', 'road', 'st', 'str', 'street', 'ave', 'av', 'avenue', 'way', 'tpke', 'tpk', 'turnpike', 'hwy', 'highway', 'pike',
  'blvd', 'boulevard', 'ln', 'lane', 'dr', 'drive', 'pkwy', 'parkway', 'ct', 'court', 'cir', 'circle', 'ter', 'terr', 'terrace', 'pl', 'place',
]);
// Roads named after a town with one more word: "Boston Post Rd", "Lynn Shore Dr".
const STREET_MIDDLES = new Set(['post', 'shore']);
// Words an address adds around its town that say nothing about which one.
const ADDRESS_FILLER = new Set(['ma', 'mass', 'massachusetts', 'usa', 'us']);
// "Salem, NH" and "Warwick RI" are not the Massachusetts towns.
const OTHER_STATES = [['nh'], ['ri'], ['ct'], ['ny'], ['vt'], ['new', 'hampshire'], ['rhode', 'island'], ['connecticut'], ['new', 'york'], ['vermont'], ['maine']];

// Town names that are everyday words ("near the orange fence", "reading room"): written in lower case
// inside a phrase they are the word, so they count only capitalised or standing alone ("orange, ma").
const EVERYDAY_WORDS = new Set(['carver', 'concord', 'gill', 'heath', 'hull', 'orange', 'reading', 'sandwich', 'ware', 'warren']);

const SEGMENT_BREAK = /[,;:()[\]{}/|\n\r\t•]/;
const WORD = /[\p{L}\p{N}'’]+/gu;

/** The text's words, lower-case and without accents or apostrophes, each with where it stands. */
function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  let segment = 0;
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    if (SEGMENT_BREAK.test(text.slice(last, start))) segment++;
    last = start + match[0].length;
    const plain = match[0].normalize('NFKD').replace(/\p{M}/gu, '').replace(/['’]/g, '').toLowerCase();
    if (!plain) continue;
    const dotted = text[last] === '.';
    words.push({ text: (dotted ? DOTTED_FORMS[plain] : undefined) ?? WORD_FORMS[plain] ?? plain, start, end: last, segment });
  }
  return words;
}

const wordsOfName = (name: string) => wordsOf(name).map((w) => w.text);

/** Builds the lookup once: every municipality by its name and other spellings, every village by its name. */
export function buildPlaceIndex(municipalities: readonly MunicipalityName[], file: PlaceNameFile): PlaceIndex {
  const bySlug = new Map(municipalities.map((m) => [m.slug, { townId: m.townId, slug: m.slug, name: m.name }]));
  const municipality = (slug: string, listedAs: string) => {
    const found = bySlug.get(slug);
    if (!found) throw new Error(`Place names: "${listedAs}" names an unknown municipality "${slug}"`);
    return found;
  };
  const names: IndexedName[] = [
    ...[...bySlug.values()].map((m) => ({ words: wordsOfName(m.name), via: 'municipality' as const, municipalities: [m] })),
    ...Object.entries(file.otherSpellings).map(([name, slug]) => ({ words: wordsOfName(name), via: 'municipality' as const, municipalities: [municipality(slug, name)] })),
    ...Object.entries(file.villages).map(([name, slugs]) => ({ words: wordsOfName(name), via: 'village' as const, municipalities: slugs.map((slug) => municipality(slug, name)) })),
  ];
  const byFirstWord = new Map<string, IndexedName[]>();
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.words.join(' ');
    if (seen.has(key)) throw new Error(`Place names: "${key}" is listed twice`);
    seen.add(key);
    const list = byFirstWord.get(name.words[0]!) ?? [];
    list.push(name);
    byFirstWord.set(name.words[0]!, list);
  }
  // Longest first, so "West Newton" is tried before "West" could be, and "North Andover" wins over "Andover".
  for (const list of byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  return { byFirstWord };
}

const sameWords = (words: Word[], at: number, expected: string[]) =>
  expected.every((text, i) => words[at + i]?.text === text && words[at + i]!.segment === words[at]!.segment);

function namesAStreet(words: Word[], after: number, segment: number): boolean {
  const next = words[after];
  if (!next || next.segment !== segment) return false;
  if (STREET_SUFFIXES.has(next.text)) return true;
  const then = words[after + 1];
  return STREET_MIDDLES.has(next.text) && then !== undefined && then.segment === segment && STREET_SUFFIXES.has(then.text);
}

// Only the words right after the name count, across a comma: "Salem, NH".
const inAnotherState = (words: Word[], after: number) => OTHER_STATES.some((state) => state.every((text, i) => words[after + i]?.text === text));

const isFiller = (word: Word) => ADDRESS_FILLER.has(word.text) || /^\d+$/.test(word.text);

/** Every place the text names, in order; street names ("Boston Rd") and other states' towns ("Salem NH") left out. */
export function findPlaceMentions(index: PlaceIndex, text: string): PlaceMention[] {
  const words = wordsOf(text);
  const mentions: PlaceMention[] = [];
  for (let at = 0; at < words.length; ) {
    const word = words[at]!;
    const name = index.byFirstWord.get(word.text)?.find((candidate) => sameWords(words, at, candidate.words));
    if (!name) {
      at++;
      continue;
    }
    const after = at + name.words.length;
    const last = words[after - 1]!;
    const matched = text.slice(word.start, last.end);
    const standsAlone = words.every((w, i) => w.segment !== word.segment || (i >= at && i < after) || isFiller(w));
    const everydayWord = name.words.length === 1 && EVERYDAY_WORDS.has(word.text) && matched[0] === matched[0]!.toLowerCase() && !standsAlone;
    if (!everydayWord && !namesAStreet(words, after, word.segment) && !inAnotherState(words, after)) {
      mentions.push({ matched, via: name.via, municipalities: name.municipalities, start: word.start, end: last.end, standsAlone });
    }
    at = after;
  }
  return mentions;
}

/**
 * The municipality a typed address names. Addresses put the town last ("street, town, MA ZIP"),
 * so the last name standing alone between commas decides, else the last name at all; a shared
 * village name is settled by another name in the text when exactly one of its towns is named.
 * Null when the text names no place.
 */
export function recognisePlaceIn(index: PlaceIndex, text: string): RecognisedPlace | null {
  const mentions = findPlaceMentions(index, text);
  const deciding = mentions.filter((m) => m.standsAlone).at(-1) ?? mentions.at(-1);
  if (!deciding) return null;
  const candidates = deciding.municipalities;
  let municipality = candidates.length === 1 ? candidates[0]! : null;
  if (!municipality) {
    const namedElsewhere = candidates.filter((c) => mentions.some((m) => m !== deciding && m.municipalities.some((o) => o.townId === c.townId)));
    if (namedElsewhere.length === 1) municipality = namedElsewhere[0]!;
  }
  return { municipality, matched: deciding.matched, via: deciding.via, candidates, mentions };
}
