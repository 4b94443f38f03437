// Adding to the corpus (R2.5): a link, a file or a path becomes a Markdown file with front matter
// in corpus/added/ that the loader reads back; the same URL or the same text is never added twice,
// even by two editors at once; removal takes an id the sources list shows; and through the desk, a
// running pool answers from an addition as soon as `add` resolves.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseFrontMatter } from '../../src/corpus/frontmatter.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { CorpusDesk } from '../../src/sources/desk.js';
import { comparableUrl, Library } from '../../src/sources/library.js';
import { openDatabase } from '../../src/store/db.js';
import { SqliteFeedStore } from '../../src/store/feeds.js';
import { PooledBriefing } from '../../src/workers/answer-pool.js';
import { copyCorpus, tempDir } from '../core/helpers.js';
import { sendBody, startWebServer, type WebServer } from './web-server.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const ARTICLE = readFileSync(path.join(FIXTURES, 'think-tank-analysis.html'));
const HTML = { 'content-type': 'text/html; charset=utf-8' };

let site: WebServer;
beforeAll(async () => {
  site = await startWebServer({
    '/analysis/phased-freeze': sendBody(ARTICLE, HTML),
    '/mirror/phased-freeze': sendBody(ARTICLE.toString('utf8').replace(/<link rel="canonical"[^>]*>/, '').replace(/<meta property="og:url"[^>]*>/, ''), HTML),
    '/notes.txt': sendBody('Field notes\n\nThe convoy reached Bandar Abbas at dawn.\n\nPort officials counted nine tankers.\n', { 'content-type': 'text/plain' }),
  });
});
afterAll(async () => site?.close());

function library(corpusDir = copyCorpus()) {
  return { corpusDir, lib: new Library({ corpusDir, allowPrivate: true, now: () => new Date('2026-03-21T09:00:00Z') }) };
}

describe('Library', () => {
  test('a link becomes a Markdown file with front matter in added/, read back by the loader with its sections', async () => {
    const { corpusDir, lib } = library();
    const out = await lib.add({ url: site.url('/analysis/phased-freeze'), by: 'slack:U0EDITOR' });
    expect(out.kind).toBe('added');
    if (out.kind !== 'added') return;
    expect(out.added.id).toMatch(/^added\/.+\.md$/);
    expect(out.added.title).toContain('Phased Freeze');
    expect(out.added.sections.length).toBeGreaterThan(1);
    const text = readFileSync(path.join(corpusDir, out.added.id), 'utf8');
    expect(out.added.bytes).toBe(Buffer.byteLength(text));
    const fields = parseFrontMatter(text)!.fields;
    expect(fields).toMatchObject({ title: out.added.title, added_by: 'slack:U0EDITOR', added_at: '2026-03-21T09:00:00.000Z' });
    expect(fields.url).toBeTruthy();
    const doc = loadCorpus(corpusDir).documents.find((d) => d.id === out.added.id)!;
    expect(doc.title).toBe(out.added.title);
    expect(doc.sections.map((s) => s.title)).toEqual(out.added.sections);
  });

  test('the same URL (tracking parameters, fragment and trailing slash aside) and the same text at another URL are duplicates; nothing is written', async () => {
    const { corpusDir, lib } = library();
    const first = await lib.add({ url: site.url('/analysis/phased-freeze'), by: 'terminal:a' });
    if (first.kind !== 'added') throw new Error('not added');
    const requests = site.requests.length;
    const again = await lib.add({ url: `${site.url('/analysis/phased-freeze')}/?utm_source=x#top`, by: 'terminal:b' });
    expect(again).toMatchObject({ kind: 'duplicate', id: first.added.id, why: 'same_url' });
    expect(site.requests.length).toBe(requests); // known before fetching
    const mirror = await lib.add({ url: site.url('/mirror/phased-freeze'), by: 'terminal:c' });
    expect(mirror).toMatchObject({ kind: 'duplicate', id: first.added.id });
    expect(loadCorpus(corpusDir).documents.filter((d) => d.id.startsWith('added/'))).toHaveLength(1);
  });

  test('two editors adding one link at once get one document', async () => {
    const { corpusDir, lib } = library();
    const outs = await Promise.all([lib.add({ url: site.url('/notes.txt'), by: 'a' }), lib.add({ url: site.url('/notes.txt'), by: 'b' })]);
    expect(outs.map((o) => o.kind).sort()).toEqual(['added', 'duplicate']);
    expect(loadCorpus(corpusDir).documents.filter((d) => d.id.startsWith('added/'))).toHaveLength(1);
  });

  test('a shared file and a local path are added like a link; removal takes the id the sources list shows', async () => {
    const { corpusDir, lib } = library();
    const file = await lib.add({ file: { bytes: Buffer.from('# Harbour log\n\nNine tankers left Kharg Island on Tuesday.\n'), name: 'harbour.md', contentType: 'text/markdown' }, by: 'discord:42' });
    if (file.kind !== 'added') throw new Error('not added');
    expect(file.added.title).toBe('Harbour log');
    const local = await lib.add({ path: path.join(FIXTURES, 'wire-story-cp1252.html'), by: 'terminal:a' });
    expect(local.kind).toBe('added');
    expect(lib.remove(file.added.id)).toEqual({ id: file.added.id, title: 'Harbour log' });
    expect(loadCorpus(corpusDir).documents.map((d) => d.id)).not.toContain(file.added.id);
    expect(() => lib.remove('../../etc/passwd')).toThrow(/no document with the id/);
    expect(() => lib.remove(file.added.id)).toThrow(/no document with the id/);
  });

  test('without BRIEFBOT_ALLOW_PRIVATE_URLS a loopback link is refused and never requested', async () => {
    const corpusDir = copyCorpus();
    const lib = new Library({ corpusDir, allowPrivate: false });
    const before = site.requests.length;
    await expect(lib.add({ url: site.url('/notes.txt'), by: 'a' })).rejects.toMatchObject({ code: 'url_private', userSafe: true });
    expect(site.requests.length).toBe(before);
  });

  test('comparableUrl ignores what does not change the article', () => {
    expect(comparableUrl('HTTPS://News.Example.com/a/b/?utm_medium=x&id=3#c')).toBe(comparableUrl('https://news.example.com/a/b?id=3'));
    expect(comparableUrl('https://news.example.com/a?id=3')).not.toBe(comparableUrl('https://news.example.com/a?id=4'));
  });
});

describe('CorpusDesk with a running pool', () => {
  let pooled: PooledBriefing;
  let desk: CorpusDesk;
  beforeAll(async () => {
    const corpusDir = copyCorpus();
    const dataDir = tempDir('desk');
    pooled = await PooledBriefing.start({ corpusDir, dataDir }, 'silent', 1);
    desk = new CorpusDesk({ library: new Library({ corpusDir, allowPrivate: true }), feeds: new SqliteFeedStore(openDatabase(':memory:')), allowPrivate: true, refresh: () => pooled.reload() });
  }, 60_000);
  afterAll(async () => pooled?.close());

  test('an added analysis is answerable as soon as add resolves; a removed one is not', async () => {
    const question = 'How many tankers did port officials count at Bandar Abbas?';
    expect((await pooled.ask(question)).coverage).toBe('none');
    const out = await desk.add({ url: site.url('/notes.txt'), by: 'slack:U0EDITOR' });
    expect(out).toMatchObject({ kind: 'added', live: true });
    if (out.kind !== 'added') return;
    const answer = await pooled.ask(question);
    expect(answer.coverage).not.toBe('none');
    expect(answer.quotes[0].document).toBe(out.added.id);
    expect(await desk.remove(out.added.id, 'slack:U0EDITOR')).toMatchObject({ id: out.added.id, live: true });
    expect((await pooled.ask(question)).coverage).toBe('none');
  }, 60_000);
});
