/**
 * A small XML reader for Liquibase changelogs that keeps where each element, attribute and text starts (fast-xml-parser
 * gives no positions, and a refusal must name file:line:column). It reads elements, attributes, text, comments, CDATA
 * sections and processing instructions; namespaces are kept as written in names and dropped by `localName`.
 */

export interface XmlElement {
  name: string;
  /** index of `<` */
  start: number;
  /** index after the element's end */
  end: number;
  attributes: Map<string, { value: string; start: number }>;
  /** the content between the start and end tags, [contentStart, contentEnd) (empty for `<x/>`) */
  contentStart: number;
  contentEnd: number;
  children: XmlElement[];
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** An entity or character reference's text, or undefined when `&…;` is not one. */
export function entityValue(reference: string): string | undefined {
  const name = reference.slice(1, -1);
  if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
  if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
  return ENTITIES[name];
}

export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (reference) => entityValue(reference) ?? reference);
}

export function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** The document's root element. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new XmlSyntaxError(message, at);
  };
  const skipMisc = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('<?', i)) i = after('?>', i);
      else if (text.startsWith('<!--', i)) i = after('-->', i);
      else if (text.startsWith('<!DOCTYPE', i)) i = after('>', i);
      else return;
    }
  };
  const after = (close: string, from: number) => {
    const at = text.indexOf(close, from);
    if (at === -1) fail(`no ${close} closes this`, from);
    return at + close.length;
  };
  const element = (): XmlElement => {
    const start = i;
    const nameMatch = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
    if (!nameMatch) fail('expected an element');
    const name = nameMatch![1];
    i += nameMatch![0].length;
    const attributes = new Map<string, { value: string; start: number }>();
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name, start, end: i, attributes, contentStart: i, contentEnd: i, children: [] };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      const attribute = /^([A-Za-z_][\w.:-]*)\s*=\s*(["'])/.exec(text.slice(i, i + 300));
      if (!attribute) fail(`unexpected character in the start tag of <${name}>`);
      const quote = attribute![2];
      const valueStart = i + attribute![0].length;
      const valueEnd = text.indexOf(quote, valueStart);
      if (valueEnd === -1) fail(`unterminated attribute value`, valueStart);
      attributes.set(localName(attribute![1]), { value: decodeXmlText(text.slice(valueStart, valueEnd)), start: i });
      i = valueEnd + 1;
    }
    const contentStart = i;
    const children: XmlElement[] = [];
    for (;;) {
      const next = text.indexOf('<', i);
      if (next === -1) fail(`<${name}> is not closed`, start);
      i = next;
      if (text.startsWith('<!--', i)) i = after('-->', i);
      else if (text.startsWith('<![CDATA[', i)) i = after(']]>', i);
      else if (text.startsWith('<?', i)) i = after('?>', i);
      else if (text.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(i, i + 200));
        if (!close || close[1] !== name) fail(`expected </${name}>`);
        const contentEnd = i;
        i += close![0].length;
        return { name, start, end: i, attributes, contentStart, contentEnd, children };
      } else children.push(element());
    }
  };
  skipMisc();
  if (text[i] !== '<') fail('expected the root element');
  const root = element();
  skipMisc();
  if (i < text.length) fail('content after the root element');
  return root;
}
