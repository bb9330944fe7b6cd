/**
 * GeoReport v2 documents in either format. A document is a root name and plain objects whose key
 * order is the spec's element order; JSON is the objects as they are, XML the spec's element
 * layout, where a list field holds one child element per entry (`attributes` → `attribute`).
 */
export type Open311Format = 'json' | 'xml';
export type Open311Value = string | number | boolean | null | Open311Record | Open311Value[];
export type Open311Record = { [key: string]: Open311Value };
/** `items` is the element of each entry when the document is a list; absent for a single record. */
export type Open311Document = { root: string; items?: string; body: Open311Record | Open311Record[] };

export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

/** The element of one entry of a list field, as the spec's XML examples name them. */
const LIST_ENTRY: Record<string, string> = { attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format', notes: 'note' };

/** `name.json` or `name.xml` → the name and the format; anything else is no resource of ours. */
export function splitFormat(file: string | undefined): { name: string; format: Open311Format } | null {
  const match = /^(.+)\.(json|xml)$/.exec(file ?? '');
  return match ? { name: match[1]!, format: match[2] as Open311Format } : null;
}

export function serialize(document: Open311Document, format: Open311Format): string {
  if (format === 'json') return JSON.stringify(document.body);
  const inner = Array.isArray(document.body) ? document.body.map((entry) => element(document.items ?? 'item', entry)).join('') : fields(document.body);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${document.root}>${inner}</${document.root}>`;
}

function fields(record: Open311Record): string {
  return Object.entries(record)
    .map(([key, value]) => element(key, value))
    .join('');
}

function element(name: string, value: Open311Value): string {
  if (value === null || value === '') return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((entry) => element(LIST_ENTRY[name] ?? 'item', entry)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${fields(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

// Control characters other than tab and newlines are not allowed in XML 1.0 at all.
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The spec's error document: a list of `{ code, description }`, `<errors><error>…` in XML. */
export function errorDocument(status: number, descriptions: string[]): Open311Document {
  return { root: 'errors', items: 'error', body: descriptions.map((description) => ({ code: status, description })) };
}
