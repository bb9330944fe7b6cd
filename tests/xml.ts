/** An element of a parsed XML document: its name, its child elements and its text. */
export type XmlElement = { name: string; children: XmlElement[]; text: string };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * A strict reader for the attribute-free XML the Open311 API writes: it throws on anything not
 * well-formed (an unclosed or mismatched tag, a stray `<` or `&`, text after the root), so a test
 * that parses a document proves the document is XML.
 */
export function parseXml(source: string): XmlElement {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!declaration.test(source)) throw new Error('missing XML declaration');
  const tokens = source.replace(declaration, '').split(/(<[^>]*>)/).filter((s) => s !== '');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  for (const token of tokens) {
    if (root) throw new Error(`content after the root element: ${token}`);
    const tag = /^<(\/?)([A-Za-z_][\w.-]*)(\/?)>$/.exec(token);
    if (token.startsWith('<') && !tag) throw new Error(`malformed tag ${token}`);
    if (!tag) {
      if (!stack.length) throw new Error(`text outside the root: ${token}`);
      if (/[<>]/.test(token) || /&(?!(amp|lt|gt|quot|apos);)/.test(token)) throw new Error(`unescaped text ${token}`);
      stack.at(-1)!.text += token.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
      continue;
    }
    const [, closing, name, selfClosing] = tag;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      if (!stack.length) root = open ?? null;
      continue;
    }
    const element: XmlElement = { name: name!, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    if (selfClosing) {
      if (!stack.length) root = element;
    } else stack.push(element);
  }
  if (!root || stack.length) throw new Error('unclosed element');
  return root;
}

/** The leaf children of an element by name, in order: one entry of a list such as `<request>`. */
export function leavesOf(element: XmlElement): Record<string, string> {
  return Object.fromEntries(element.children.filter((c) => c.children.length === 0).map((c) => [c.name, c.text]));
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}
