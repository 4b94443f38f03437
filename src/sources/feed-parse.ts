// RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 -> the few fields the poller needs about each item. Parsing
// is @rowanmanning/feed-parser's; what this file adds is strictness where the parser is forgiving:
// it builds a tree from any tag soup (a truncated download parses "fine" and yields items with
// half a link), so the document is first checked for well-formedness with the validator of the
// XML library the parser itself uses, and only http(s) links survive.
import { createRequire } from 'node:module';
import { parseFeed } from '@rowanmanning/feed-parser';
import { CodedError, type CodedErrorOptions } from '../errors.js';

/** Items considered per poll, newest first; a feed's older entries beyond this are ignored. */
export const MAX_FEED_ITEMS = 50;

export interface FeedItem {
  /** The item's guid (RSS) or id (Atom), else its link: what "seen before" is keyed on. */
  key: string;
  /** Absolute http(s) link to the article, resolved against the feed URL. */
  url: string;
  /** Plain text (markup in the feed's title is dropped); empty when the feed gives none. */
  title: string;
  /** ISO 8601 timestamp (`Date.toISOString()`), when the feed dates the item. */
  published?: string;
}

export interface ParsedFeed {
  /** The feed's own title, plain text; empty when it has none. */
  title: string;
  /** Newest first, at most MAX_FEED_ITEMS, one per key. */
  items: FeedItem[];
  /** Items left out for want of a usable http(s) link. */
  skipped: number;
  /** Items left out beyond MAX_FEED_ITEMS. */
  omitted: number;
}

export type FeedErrorCode = 'feed_malformed' | 'feed_unknown';

/** A feed that cannot be read as one, or a feed that does not exist; the message names the feed. */
export class FeedError extends CodedError {
  override name = 'FeedError';

  constructor(code: FeedErrorCode, message: string, options: Omit<CodedErrorOptions, 'userSafe'> = {}) {
    super(code, message, { ...options, userSafe: true });
  }
}

// fast-xml-parser is the feed parser's dependency, not ours: resolving it from the parser's own
// location means we always validate with the very version that will parse the document.
const parserRequire = createRequire(createRequire(import.meta.url).resolve('@rowanmanning/feed-parser'));
const { XMLValidator } = parserRequire('fast-xml-parser') as {
  XMLValidator: { validate(xml: string): true | { err: { msg: string; line: number; col: number } } };
};

const HTML_PAGE = /^(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>])/i;
// The parser expands entity references without any total limit; feeds never need their own
// entities, so a document declaring some is refused rather than risking an expansion bomb.
const ENTITY_DECLARATION = /<!ENTITY/i;

/**
 * Reads a feed document. Throws `FeedError` (code `feed_malformed`) when the text is not
 * well-formed XML, is a web page, or is XML of some other kind.
 */
export function parseFeedItems(xml: string, feedUrl: string): ParsedFeed {
  // Whitespace before the XML declaration is invalid but common (feeds made by templates).
  const text = xml.replace(/^\uFEFF/, '').trimStart();
  if (!text) throw new FeedError('feed_malformed', `${feedUrl} returned an empty document, not an RSS or Atom feed.`);
  if (HTML_PAGE.test(text)) throw new FeedError('feed_malformed', `${feedUrl} is a web page, not an RSS or Atom feed.`);
  if (ENTITY_DECLARATION.test(text)) {
    throw new FeedError('feed_malformed', `${feedUrl} declares its own XML entities, which feeds do not use; it was not read.`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new FeedError('feed_malformed', `${feedUrl} is not well-formed XML (line ${line}, column ${col}: ${msg}).`);
  }

  let feed: ReturnType<typeof parseFeed>;
  let entries: Entry[];
  try {
    feed = parseFeed(text);
    entries = feed.items;
  } catch (cause) {
    // InvalidFeedError: well-formed XML whose root is not <rss>, <rdf:RDF> or <feed>.
    throw new FeedError('feed_malformed', `${feedUrl} is XML but not an RSS or Atom feed.`, { cause });
  }

  let skipped = 0;
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  for (const entry of entries) {
    const url = entryUrl(entry, feed.meta.type === 'atom', feedUrl);
    if (!url) {
      skipped++;
      continue;
    }
    const key = entry.id?.trim() || url;
    if (seen.has(key)) continue;
    seen.add(key);
    const item: FeedItem = { key, url, title: plainText(entry.title ?? '') };
    const published = entry.published ?? entry.updated;
    if (published && !Number.isNaN(published.getTime())) item.published = published.toISOString();
    items.push(item);
  }
  const newest = newestFirst(items);
  return {
    title: plainText(feed.title ?? ''),
    items: newest.slice(0, MAX_FEED_ITEMS),
    skipped,
    omitted: Math.max(0, newest.length - MAX_FEED_ITEMS),
  };
}

/**
 * Turns a fetched body into text: a byte-order mark decides, then the HTTP charset, then the XML
 * declaration's encoding (RFC 7303 §3), else UTF-8. An encoding Node does not know reads as UTF-8.
 */
export function decodeFeedBody(body: Buffer, charset?: string): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return new TextDecoder('utf-8').decode(body);
  if (body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body);
  if (body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body);
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(body.subarray(0, 256).toString('latin1'))?.[1];
  for (const label of [charset, declared]) {
    if (!label) continue;
    try {
      return new TextDecoder(label.trim().toLowerCase()).decode(body);
    } catch {
      // RangeError: a label TextDecoder does not support; try the next source of truth.
    }
  }
  return new TextDecoder('utf-8').decode(body);
}

type Entry = ReturnType<typeof parseFeed>['items'][number];
type XmlElement = Entry['element'];

// The parser resolves a relative link against the channel's <link> (the site), where RFC 3986
// and XML Base say the base is xml:base, else the document's own URL; so links are read raw here.
// Which link is the article's follows the parser: Atom's rel="alternate" (or no rel), RSS's first
// non-empty <link>, and, ours, an RSS guid that is a permalink when there is no <link>.
function entryUrl(entry: Entry, atom: boolean, feedUrl: string): string | undefined {
  const links = entry.element.findElementsWithName('link');
  let link: XmlElement | undefined;
  let ref: string | null | undefined;
  if (atom) {
    link = links.find((l) => l.getAttribute('rel') === 'alternate') ?? links.find((l) => l.getAttribute('rel') === null);
    ref = link?.getAttribute('href');
  } else {
    link = links.find((l) => l.textContent.trim());
    ref = link?.textContent;
    if (!link) {
      // A permalink guid must be absolute (RSS 2.0), so it is never resolved. The parser
      // lower-cases attribute names.
      const guid = entry.element.findElementWithName('guid');
      const permalink = guid && guid.getAttribute('ispermalink') !== 'false' ? guid.textContent.trim() : '';
      return /^https?:\/\//i.test(permalink) ? httpUrl(permalink, feedUrl) : undefined;
    }
  }
  return link && ref ? httpUrl(ref, baseOf(link, feedUrl)) : undefined;
}

function httpUrl(ref: string, base: string): string | undefined {
  if (!ref.trim()) return undefined;
  try {
    const url = new URL(ref.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function baseOf(element: XmlElement, feedUrl: string): string {
  const bases: string[] = [];
  for (let e: XmlElement | null = element; e; e = e.parent) {
    const base = e.getAttribute('xml:base')?.trim();
    if (base) bases.unshift(base);
  }
  let resolved = feedUrl;
  for (const base of bases) {
    try {
      resolved = new URL(base, resolved).href;
    } catch {
      // A broken xml:base is ignored, as a browser ignores a broken <base href>.
    }
  }
  return resolved;
}

// Atom titles of type="html" and CDATA titles in RSS often carry markup; people read these.
function plainText(text: string): string {
  return text.replace(/<\/?[A-Za-z][^>]*>/g, '').replace(/\s+/g, ' ').trim();
}

// Feeds are conventionally newest first, but not all: when every item is dated, the dates decide.
// With some undated there is no sound order to impose, so the document's order is kept.
function newestFirst(items: FeedItem[]): FeedItem[] {
  if (!items.every((i) => i.published)) return items;
  return [...items].sort((a, b) => Date.parse(b.published!) - Date.parse(a.published!));
}
