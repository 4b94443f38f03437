// A web page -> a draft document: the metadata read from the page as served, the article found by
// Mozilla's Readability, and that article's HTML turned into headings and paragraphs.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { Draft, ExtractedDocument } from './extracted.js';

export function extractHtml(html: string, pageUrl?: string): Draft {
  const markup = capNesting(html);
  let { document } = parseHTML(markup);
  // With no <body> in the markup linkedom leaves the text outside the (empty) body Readability reads, or makes no document element at all.
  if (!document.querySelector('body')) ({ document } = parseHTML(`<html><body>${markup}</body></html>`));
  // The parser makes a text node per entity and per stray '<'; merged, every later pass is one node per run of text.
  document.documentElement?.normalize();
  // Metadata first, from the page as served: what follows changes the document. Readability's
  // parse() "works by modifying the DOM" (its README): it removes <script> (the JSON-LD too),
  // <noscript> and <style> and rewrites <br> runs and <font> (Readability.js _removeScripts,
  // _prepDocument), then _grabArticle() strips the nodes it scores as unlikely and moves the rest.
  const meta = readMetadata(document);
  removeClutter(document);
  const article = new Readability<Element>(document, { serializer: (node) => node as Element }).parse();
  const sections = article?.content ? sectionsOf(article.content) : [];
  return { ...meta, url: meta.url ?? pageUrl, sections };
}

// ---- Nesting. htmlparser2 (linkedom's parser) keeps its open-element stack with Array#unshift, so
// a page of 190,000 nested <div>s takes it minutes; and Readability's _cleanConditionally() reads
// the text of every list inside every list, so 20,000 nested <ul><li> take it seconds per level.
// Tags opened deeper than MAX_NESTING, or inside MAX_SELF_NESTING of their own kind (wrappers
// aside), are cut from the markup (their text stays) by a linear scan that tracks the parser's
// stack: the same void elements and implied closes (htmlparser2's Parser.js openImpliesClose), so
// a normal page passes through untouched. Paragraphs and headings get TEXT_SLACK more levels, so an
// article buried in wrappers keeps its shape. And linkedom spreads a class attribute's words into
// one call (classList.add(...words)), which overflows the stack past ~150,000 words: a tag longer
// than MAX_TAG keeps its name and loses its attributes.
const MAX_NESTING = 128;
const TEXT_SLACK = 32;
const MAX_SELF_NESTING = 8;
const MAX_TAG = 100_000;
const words = (s: string) => new Set(s.split(' '));
const DEEP_WRAPPERS = words('div span');
const TEXT_BLOCKS = words('p h1 h2 h3 h4 h5 h6 li ul ol blockquote pre dl dd dt table tbody thead tfoot tr td th');
const VOID = words('area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr');
const RAW_TEXT = words('script style title textarea xmp');
const FOREIGN = words('math svg');
const INTEGRATION = words('mi mo mn ms mtext annotation-xml foreignobject desc title');
const FORM_TAGS = 'input option optgroup select button datalist textarea';
// Opening the key closes any of these while one is on top of the stack (htmlparser2's openImpliesClose).
const IMPLIES_CLOSE = new Map(
  Object.entries({
    ...Object.fromEntries('select input output button datalist textarea'.split(' ').map((n) => [n, FORM_TAGS])),
    ...Object.fromEntries('p h1 h2 h3 h4 h5 h6 address article aside blockquote details div dl fieldset figcaption figure footer form header hr main nav ol pre section table ul'.split(' ').map((n) => [n, 'p'])),
    ...{ tr: 'tr th td', th: 'th', td: 'thead th td', body: 'head link script', li: 'li', option: 'option', optgroup: 'optgroup option' },
    ...{ dd: 'dd dt', dt: 'dd dt', rt: 'rt rp', rp: 'rt rp', tbody: 'thead tbody', tfoot: 'thead tbody' },
  }).map(([k, v]) => [k, words(v)]),
);
const RAW_END = new Map([...RAW_TEXT].map((n) => [n, new RegExp(`</${n}[\\s/>]`, 'gi')]));

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/** Where a tag whose name ends at `i` closes: quoted attribute values may hold '>'. -1 when it never does. */
function tagEnd(html: string, i: number): number {
  for (; i < html.length; i++) {
    const c = html[i];
    if (c === '>') return i;
    if (c !== '=') continue;
    while (isSpace(html.charCodeAt(i + 1))) i++;
    const q = html[i + 1];
    if (q === '"' || q === "'") {
      i = html.indexOf(q, i + 2);
      if (i < 0) return -1;
    }
  }
  return -1;
}

export function capNesting(html: string): string {
  const stack: string[] = [];
  const open = new Map<string, number>(); // how many of each name are on the stack
  const popTo = (depth: number) => {
    while (stack.length > depth) {
      const name = stack.pop()!;
      open.set(name, open.get(name)! - 1);
    }
  };
  const foreign: boolean[] = [];
  const cut = new Map<string, number>();
  const kept: string[] = [];
  let from = 0;
  const replace = (start: number, end: number, by = '') => {
    kept.push(html.slice(from, start), by);
    from = end;
  };
  let at = 0;
  while ((at = html.indexOf('<', at)) !== -1) {
    const next = html[at + 1];
    if (next === '!' || next === '?') {
      // Comments and CDATA end where htmlparser2 ends them ("<!-->" is a whole comment), other declarations at '>'.
      const close = html.startsWith('<!--', at) ? '-->' : html.startsWith('<![CDATA[', at) ? ']]>' : '>';
      const end = html.indexOf(close, at + 2);
      if (end < 0) break;
      at = end + close.length;
      continue;
    }
    const closing = next === '/';
    let i = at + (closing ? 2 : 1);
    if (!/[a-zA-Z]/.test(html[i] ?? '')) {
      at++;
      continue;
    }
    const nameStart = i;
    while (i < html.length && !isSpace(html.charCodeAt(i)) && html[i] !== '/' && html[i] !== '>') i++;
    const name = html.slice(nameStart, i).toLowerCase();
    const end = tagEnd(html, i);
    if (end < 0) break;
    const selfClosing = html[end - 1] === '/';
    if (closing) {
      const pending = cut.get(name) ?? 0;
      if (pending > 0) {
        cut.set(name, pending - 1);
        replace(at, end + 1);
      } else {
        if (FOREIGN.has(name) || INTEGRATION.has(name)) foreign.pop();
        const pos = VOID.has(name) ? -1 : stack.lastIndexOf(name);
        if (pos >= 0) popTo(pos);
      }
      at = end + 1;
      continue;
    }
    // The elements this tag closes by opening, counted first: a tag that is cut closes nothing.
    const implied = IMPLIES_CLOSE.get(name);
    let depth = stack.length;
    let same = open.get(name) ?? 0;
    if (implied) while (depth > 0 && implied.has(stack[depth - 1])) if (stack[--depth] === name) same--;
    const nonVoid = !VOID.has(name);
    const tooDeep = depth >= MAX_NESTING + (TEXT_BLOCKS.has(name) ? TEXT_SLACK : 0) || (same >= MAX_SELF_NESTING && !DEEP_WRAPPERS.has(name));
    // Raw-text elements are never cut: their content would become text.
    if (nonVoid && tooDeep && !RAW_TEXT.has(name)) {
      cut.set(name, (cut.get(name) ?? 0) + 1);
      replace(at, end + 1);
    } else {
      popTo(depth);
      if (end - at > MAX_TAG) replace(at, end + 1, `<${name}${selfClosing ? '/' : ''}>`);
      // As htmlparser2 does: the foreign context opens even when the tag closes itself ("<svg/>").
      if (nonVoid && FOREIGN.has(name)) foreign.push(true);
      else if (nonVoid && INTEGRATION.has(name)) foreign.push(false);
      if (nonVoid && !(selfClosing && foreign[foreign.length - 1])) {
        stack.push(name);
        open.set(name, same + 1);
      }
    }
    at = end + 1;
    const rawEnd = RAW_TEXT.has(name) && !selfClosing ? RAW_END.get(name)! : undefined;
    if (rawEnd) {
      rawEnd.lastIndex = at;
      const found = rawEnd.exec(html);
      if (!found) break;
      at = found.index;
    }
  }
  if (!kept.length) return html;
  kept.push(html.slice(from));
  return kept.join('');
}

// ---- Metadata, read before anything changes the document.
type PageMeta = Omit<Draft, 'sections'>;

const ARTICLE_TYPES = /(?:Article|BlogPosting|Report|Posting)$/;
const MAX_LD_NODES = 10_000;
const DATE_KEYS = 'date pubdate publishdate publish-date publication_date dc.date dc.date.issued dc.date.created dcterms.date dcterms.created dcterms.issued citation_publication_date citation_date sailthru.date parsely-pub-date'.split(' ');

function readMetadata(document: Document): PageMeta {
  const meta = new Map<string, string>();
  for (const el of document.querySelectorAll('meta[content]')) {
    const content = el.getAttribute('content')!.trim();
    for (const attr of ['property', 'name', 'itemprop']) {
      const key = el.getAttribute(attr)?.trim().toLowerCase();
      if (key && content && !meta.has(key)) meta.set(key, content);
    }
  }
  const m = (...keys: string[]) => keys.map((k) => meta.get(k)).find(Boolean);
  const ld = jsonLd(document);
  const decoder = document.createElement('div');
  // Entities left in metadata (JSON-LD is not HTML-decoded; some sites encode twice), decoded by the parser itself.
  const decoded = (value: string | undefined) => {
    const s = value?.slice(0, 1000); // no title or outlet is longer; a longer value is not worth parsing
    if (!s?.includes('&')) return s?.trim() || undefined;
    decoder.innerHTML = s;
    return decoder.textContent?.trim() || undefined;
  };
  const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() || undefined;
  const source = decoded(m('og:site_name') ?? ld.publisher ?? m('publisher', 'dc.publisher', 'application-name'));
  const main = document.querySelector('article') ?? document.querySelector('main');
  const h1 = text(main?.querySelector('h1')) ?? text(document.querySelector('h1'));
  const title = decoded(ld.headline ?? m('og:title') ?? text(main?.querySelector('h1')) ?? m('twitter:title') ?? text(document.querySelector('title')) ?? h1);
  const sites = [source, m('application-name'), m('og:site_name'), m('publisher')].flatMap((s) => decoded(s) ?? []);
  const time = (selector: string, root: ParentNode = document) => root.querySelector(selector)?.getAttribute('datetime') ?? undefined;
  const dates = [
    m('article:published_time', 'og:article:published_time', 'article:published'),
    ld.datePublished,
    m('datepublished'),
    time('time[pubdate][datetime]') ?? time('time[itemprop="datePublished"][datetime]') ?? (main ? time('time[datetime]', main) : undefined),
    m(...DATE_KEYS),
    time('time[datetime]'),
  ].filter((d): d is string => !!d);
  const canonical = [...document.querySelectorAll('link[rel][href]')].find((l) => /(?:^|\s)canonical(?:\s|$)/i.test(l.getAttribute('rel')!));
  const url = canonical?.getAttribute('href')?.trim() || m('og:url') || ld.url;
  return { title: title && withoutSiteName(title, sites, h1), source, dates, url };
}

const SEPARATORS = [' | ', ' - ', ' – ', ' — ', ' · ', ' :: ', ' » '];

/** "Headline | Outlet" -> "Headline": the part cut is the outlet's name, or the rest is the page's <h1>. */
function withoutSiteName(title: string, sites: string[], h1: string | undefined): string {
  const lower = title.toLowerCase();
  for (const sep of SEPARATORS) {
    if (h1 && lower.includes(sep) && lower.split(sep).includes(h1.toLowerCase())) return h1;
    for (const name of sites.map((s) => s.toLowerCase())) {
      if (lower.endsWith(`${sep}${name}`)) return title.slice(0, title.length - sep.length - name.length).trim();
      if (lower.startsWith(`${name}${sep}`)) return title.slice(name.length + sep.length).trim();
    }
  }
  return title;
}

/** The article node of the page's JSON-LD (schema.org), its publisher resolved through @id references. */
function jsonLd(document: Document): Partial<Record<'headline' | 'datePublished' | 'publisher' | 'url', string>> {
  const nodes: Record<string, unknown>[] = [];
  for (const script of document.querySelectorAll('script[type]')) {
    if (!/^\s*application\/ld\+json/i.test(script.getAttribute('type')!)) continue;
    let pending: unknown[];
    try {
      pending = [JSON.parse(script.textContent ?? '')];
    } catch {
      continue; // a broken block is skipped, as crawlers skip it
    }
    // Top-level lists and @graph only: the nodes a page lists, not every nested value.
    for (let k = 0; k < pending.length && k < MAX_LD_NODES; k++) {
      const v = pending[k];
      if (Array.isArray(v)) pending.push(...v.slice(0, Math.max(0, MAX_LD_NODES - pending.length)));
      else if (v && typeof v === 'object') {
        nodes.push(v as Record<string, unknown>);
        if ('@graph' in v) pending.push(v['@graph']);
      }
    }
  }
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const byId = new Map(nodes.filter((n) => str(n['@id'])).map((n) => [str(n['@id'])!, n]));
  const resolve = (v: unknown): Record<string, unknown> | undefined => {
    const n = [v].flat()[0] as Record<string, unknown> | undefined;
    return n && typeof n === 'object' ? (byId.get(str(n['@id']) ?? '') ?? n) : undefined;
  };
  const article = nodes.find((n) => [n['@type']].flat().some((t) => typeof t === 'string' && ARTICLE_TYPES.test(t)));
  if (!article) return {};
  return {
    headline: str(article.headline) ?? str(article.name),
    datePublished: str(article.datePublished) ?? str(article.dateCreated),
    publisher: str(resolve(article.publisher)?.name),
    url: str(article.url) ?? str(article.mainEntityOfPage) ?? str(resolve(article.mainEntityOfPage)?.url),
  };
}

// ---- Clutter. Readability scores blocks by their text, so a newsletter box, a "Related" list or an
// ad label inside the article body can pass for article. Page furniture (by tag and ARIA role) and
// blocks whose class or id names them as clutter go first, except <main>, what holds the headline,
// and what holds a large share of the page's paragraph text: 60% for names that are never an
// article (comments, newsletter), 40% for names a wrapper might carry (related, promo). Taxonomy
// classes (WordPress's "tag-social", "category-ads") name the article's subject, not its role.
const FURNITURE = 'nav, aside, footer, form, button, dialog, template, iframe, [hidden], [role=navigation], [role=complementary], [role=contentinfo], [role=dialog], [role=alertdialog], [role=search]';
const NEVER_ARTICLE = /^(?:comments?|commentlist|disqus|respond|cookies?|consent|gdpr|newsletter\w*|signup|subscribe|subscription|mc4wp|share|sharing|sharedaddy|sr-only|screen-reader-text|visually-hidden|skip)$/;
const WRAPPER = /^(?:ads?|adslot|adunit|advert\w*|breadcrumbs?|dfp|gpt|modal|mostread|outbrain|paywall|popup|promo\w*|recirc\w*|recommend\w*|related\w*|social|sponsor\w*|taboola|trending)$/;
const TAXONOMY = /^(?:tag|category|categories|topic|topics|section|format|post|type|status)-/;
const MAX_CLUTTER_CHECKS = 2000;

function clutterShare(el: Element): number {
  const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.toLowerCase().split(/\s+/).filter((n) => n && !TAXONOMY.test(n));
  const named = (re: RegExp) => names.some((n) => re.test(n) || n.split(/[-_]/).some((part) => re.test(part)));
  return named(NEVER_ARTICLE) ? 0.6 : named(WRAPPER) ? 0.4 : 0;
}

function removeClutter(document: Document): void {
  const body = document.body;
  if (!body) return;
  const headline = document.querySelector('article h1, main h1') ?? document.querySelector('h1');
  const paragraphText = (root: Element) => [...root.querySelectorAll('p')].reduce((n, p) => n + (p.textContent?.length ?? 0), 0);
  const total = paragraphText(body);
  const candidates = [...document.querySelectorAll(FURNITURE)].map((el) => ({ el, share: 0.6 }));
  for (const el of body.querySelectorAll('[class], [id]')) {
    const share = clutterShare(el);
    if (share) candidates.push({ el, share });
  }
  let checks = 0;
  for (const { el, share } of candidates) {
    if (!el.isConnected || el === body || el.tagName === 'MAIN' || (headline && el.contains(headline))) continue;
    if (++checks > MAX_CLUTTER_CHECKS) break;
    if (total === 0 || paragraphText(el) < total * share) el.remove();
  }
}

// ---- The article's HTML -> sections.
// Labels that stand alone between paragraphs of many articles and are never part of one.
const BOILERPLATE = /^(?:advertisements?|ad|sponsored(?: content)?|(?:story|article) continues below(?: this)? (?:advertisement|ad)|continue reading(?: below)?|skip (?:advertisement|ad|to (?:main )?content)|scroll to continue with content|share this(?: article| story)?|read more)$/i;
const HEADINGS = new Set(['H1', 'H2', 'H3', 'H4']);
const BLOCKS = new Set('ADDRESS ARTICLE ASIDE BLOCKQUOTE BODY CAPTION DD DETAILS DIV DL DT FIELDSET FIGCAPTION FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HR LI MAIN NAV OL P PRE SECTION TABLE TBODY TD TFOOT TH THEAD TR UL'.split(' '));
const SKIPPED = new Set('AUDIO BUTTON CANVAS EMBED FIGURE HEAD IFRAME IMG INPUT MATH NOSCRIPT OBJECT PICTURE SCRIPT SELECT STYLE SVG TEMPLATE TEXTAREA TITLE VIDEO'.split(' '));

/**
 * Headings (h1-h4) open sections; every other block boundary ends a paragraph; inline markup is
 * flattened into its text. Walked with an explicit stack (a page may nest deep).
 */
function sectionsOf(root: Element): ExtractedDocument['sections'] {
  const sections: ExtractedDocument['sections'] = [{ paragraphs: [] }];
  let buffer: string[] = [];
  let inHeading = 0;
  const flush = () => {
    const text = buffer.join('').replace(/\s+/g, ' ').trim();
    buffer = [];
    if (!text || (text.length < 60 && BOILERPLATE.test(text.replace(/[\s.:!…»›]+$/, '')))) return;
    if (inHeading) sections.push({ heading: text, paragraphs: [] });
    else sections[sections.length - 1].paragraphs.push(text);
  };
  const stack: { node: Node; leaving: boolean }[] = [{ node: root, leaving: false }];
  while (stack.length) {
    const { node, leaving } = stack.pop()!;
    const tag = node.nodeType === 1 ? (node as Element).tagName.toUpperCase() : '';
    if (node.nodeType === 3 || tag === 'BR') buffer.push(tag ? ' ' : (node.nodeValue ?? '')); // a lone <br> breaks a line, not a paragraph
    if (!tag || tag === 'BR' || SKIPPED.has(tag)) continue;
    const block = BLOCKS.has(tag);
    if (leaving) {
      if (block) flush();
      if (HEADINGS.has(tag)) inHeading--;
      continue;
    }
    if (block) flush();
    if (HEADINGS.has(tag)) inHeading++;
    stack.push({ node, leaving: true });
    const children: Node[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) children.push(c);
    for (let k = children.length - 1; k >= 0; k--) stack.push({ node: children[k], leaving: false });
  }
  flush();
  return sections;
}
