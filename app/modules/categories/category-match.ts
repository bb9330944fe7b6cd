/**
 * Finding a category from what a resident types: "pot holes", "streetlite", "rubbish". Used in the
 * browser (the report form's search) and on the server (the search page without JavaScript), so
 * this file imports nothing.
 *
 * Text is compared as keys: lower case without accents, plural folded to singular, spellings folded
 * ("light" and "lite", doubled letters), and also with the spaces between words removed, so "pot
 * hole" meets "pothole". A key shorter than four letters only ever matches a whole word: "rat" finds
 * the keyword "rat" but never "grate" or "separate".
 */

export type SearchableCategory = { name: string; keywords: readonly string[]; group?: string };

/** Words that say nothing about the kind of problem ("a pothole on my street" is about the pothole). */
const STOPWORDS = new Set(['a', 'an', 'and', 'are', 'at', 'by', 'for', 'from', 'has', 'have', 'in', 'is', 'it', 'its', 'my', 'near', 'of', 'on', 'or', 'our', 'the', 'there', 'this', 'to', 'with']);

const IRREGULAR_PLURALS: Record<string, string> = { mice: 'mouse', leaves: 'leaf', knives: 'knife', geese: 'goose', people: 'person', children: 'child' };

/** English plural to singular, well enough that a query and a category's words fold alike. */
export function singular(word: string): string {
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular) return irregular;
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|ch|sh|x|zz)es$/.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/.test(word)) return word;
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/** Spellings people mix up, folded to one form: streetlight/streetlite, graffiti/grafitti. */
function foldSpelling(word: string): string {
  return word
    .replace(/ight/g, 'ite')
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/([a-z])\1+/g, '$1');
}

/** The words of `text` as comparable keys, stopwords left out. */
export function searchKeys(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !STOPWORDS.has(word))
    .map((word) => foldSpelling(singular(word)));
}

/** Edit distance with adjacent transpositions (optimal string alignment), stopping early past `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = Array.from({ length: b.length + 1 }, (_, j) => j);
  let previous = before;
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** Typos forgiven: none below five letters (too many short words are one letter apart), then one, then two from eight. */
function typosAllowed(key: string): number {
  return key.length >= 8 ? 2 : key.length >= 5 ? 1 : 0;
}

const MIN_PARTIAL_LENGTH = 4;

/**
 * How well `part` (a query word, or words run together) matches `target` (a category word, or a
 * phrase run together): 0 to 1. Part of a target counts when the resident may still be typing it
 * ("potho"), or when the target is one word of which it is one half ("light" in "streetlight",
 * "hole" in "pothole"); not when it is a word of several ("broken" in "broken pavement").
 */
function partScore(part: string, target: { text: string; oneWord: boolean }, typing: boolean): number {
  if (part === target.text) return 1;
  if (part.length >= MIN_PARTIAL_LENGTH) {
    if ((typing || target.oneWord) && target.text.startsWith(part)) return 0.8;
    if (target.oneWord && target.text.endsWith(part)) return 0.7;
  }
  const typos = typosAllowed(part);
  return typos > 0 && editDistance(part, target.text, typos) <= typos ? 0.6 : 0;
}

/**
 * A name or keyword of a category. `partWeight` is what matching only part of it is worth: one word
 * of the name says a lot ("tree" in "Tree problem"), one word of a keyword less ("down" in "sign
 * down", "broken" in "broken pavement").
 */
type Phrase = { keys: string[]; weight: number; partWeight: number };

type Target = { text: string; oneWord: boolean; weight: number };

/** Every word of the phrase, and each run of adjacent words written as one, with the weight of matching it. */
function targetsOf(phrase: Phrase): Target[] {
  const { keys } = phrase;
  const targets: Target[] = [];
  for (let start = 0; start < keys.length; start++) {
    for (let end = start + 1; end <= keys.length; end++) {
      targets.push({ text: keys.slice(start, end).join(''), oneWord: end - start === 1, weight: phrase.weight * (end - start === keys.length ? 1 : phrase.partWeight) });
    }
  }
  return targets;
}

/** Runs of one to three adjacent query words, with the positions they cover. */
function spansOf(keys: string[]): { text: string; from: number; to: number }[] {
  const spans: { text: string; from: number; to: number }[] = [];
  for (let from = 0; from < keys.length; from++) {
    for (let to = from + 1; to <= Math.min(keys.length, from + 3); to++) spans.push({ text: keys.slice(from, to).join(''), from, to });
  }
  return spans;
}

const WHOLE_QUERY = 1;
/** A category whose words cover every query word, but not as one phrase, ranks below a phrase match. */
const WORD_BY_WORD = 0.75;

/** How well the query matches one category: 0 (not at all) to 1. */
function categoryScore(queryKeys: string[], phrases: Phrase[]): number {
  const queryText = queryKeys.join('');
  let best = 0;
  const perWord = queryKeys.map(() => 0);
  for (const phrase of phrases) {
    const targets = targetsOf(phrase);
    best = Math.max(best, WHOLE_QUERY * phrase.weight * partScore(queryText, { text: phrase.keys.join(''), oneWord: phrase.keys.length === 1 }, true));
    for (const span of spansOf(queryKeys)) {
      const typing = span.to === queryKeys.length;
      const score = Math.max(...targets.map((target) => target.weight * partScore(span.text, target, typing)));
      for (let i = span.from; i < span.to; i++) perWord[i] = Math.max(perWord[i]!, score);
    }
  }
  const covered = perWord.reduce((sum, score) => sum + score, 0) / queryKeys.length;
  return Math.max(best, WORD_BY_WORD * covered);
}

/** Below this a match is too weak to offer (e.g. one word of five, matched only by a typo). */
const MIN_SCORE = 0.2;
/** A match of the whole query, not of some of its words: enough to say the query names the category. */
export const WHOLE_QUERY_MATCH = 0.6;
const NAME: Pick<Phrase, 'weight' | 'partWeight'> = { weight: 1, partWeight: 1 };
const KEYWORD: Pick<Phrase, 'weight' | 'partWeight'> = { weight: 1, partWeight: 0.6 };
const GROUP: Pick<Phrase, 'weight' | 'partWeight'> = { weight: 0.5, partWeight: 1 };

/**
 * The categories that match `query`, best first; equally good ones keep their order in `categories`
 * (the town's). An empty query, or one of stopwords only, matches nothing. `minScore`
 * WHOLE_QUERY_MATCH keeps only categories the whole query names.
 */
export function matchCategories<T extends SearchableCategory>(query: string, categories: readonly T[], { minScore = MIN_SCORE } = {}): T[] {
  const queryKeys = searchKeys(query);
  if (queryKeys.length === 0) return [];
  return categories
    .map((category, index) => {
      const phrases: Phrase[] = [{ keys: searchKeys(category.name), ...NAME }, ...category.keywords.map((keyword) => ({ keys: searchKeys(keyword), ...KEYWORD }))];
      if (category.group) phrases.push({ keys: searchKeys(category.group), ...GROUP });
      return { category, index, score: categoryScore(queryKeys, phrases.filter((p) => p.keys.length > 0)) };
    })
    .filter((m) => m.score >= minScore)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((m) => m.category);
}

// --- Keywords as admins and the registry write them ---------------------------------------------

export const KEYWORD_LIMITS = { perCategory: 30, length: 40 } as const;

export type KeywordProblem =
  | { code: 'too_many'; max: number }
  | { code: 'too_long'; keyword: string; max: number }
  | { code: 'no_letters'; keyword: string }
  | { code: 'repeated'; keyword: string; earlier: string };

/** One keyword as stored: trimmed, single spaces, lower case. */
export function normalizeKeyword(keyword: string): string {
  return keyword.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The keywords as stored, in the order given, without blanks and without repeats (two that search
 * alike, like "pot holes" and "pot hole", count as one); or the first problem with them. A repeat
 * is dropped, or refused when `repeats` says so (the registry, whose files should say it once).
 */
export function checkKeywords(list: readonly string[], { repeats = 'drop' }: { repeats?: 'drop' | 'refuse' } = {}): { keywords: string[] } | { problem: KeywordProblem } {
  const keywords: string[] = [];
  const seen = new Map<string, string>();
  for (const keyword of list.map(normalizeKeyword).filter(Boolean)) {
    if (keyword.length > KEYWORD_LIMITS.length) return { problem: { code: 'too_long', keyword, max: KEYWORD_LIMITS.length } };
    if (!/[\p{L}\p{N}]/u.test(keyword)) return { problem: { code: 'no_letters', keyword } };
    const key = searchKeys(keyword).join(' ');
    const earlier = seen.get(key);
    if (earlier !== undefined && repeats === 'refuse') return { problem: { code: 'repeated', keyword, earlier } };
    if (earlier !== undefined) continue;
    seen.set(key, keyword);
    keywords.push(keyword);
  }
  if (keywords.length > KEYWORD_LIMITS.perCategory) return { problem: { code: 'too_many', max: KEYWORD_LIMITS.perCategory } };
  return { keywords };
}

/** An admin's text: one keyword per line or separated by commas. */
export function splitKeywords(text: string): string[] {
  return text.split(/[\n,;]/);
}
