// Adding from Slack (R2.5): `/brief add|remove|feed|feeds` and files shared in a DM, through the real
// Bolt app against the fake Slack, with a fake SourceDesk that records what reached it. Only editors
// change anything; every reply is private and worded by adapters/shared/source-card.ts.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { BriefingService } from '../../src/service.js';
import type { Answer, SourceInfo } from '../../src/types.js';
import { ADDED, FakeDesk, userError } from '../shared/fake-desk.js';
import { eventCallback, slashCommandFields } from './fake-slack.js';
import { BOT_TOKEN, startHarness, type Harness } from './harness.js';

const EDITOR = 'U0EDITOR';
const READER = 'U0READER';

const SOURCES: SourceInfo[] = [
  { id: ADDED.id, title: ADDED.title, source: ADDED.source, published: ADDED.published, sections: ADDED.sections },
  { id: 'muscat.md', title: 'Muscat talks analysis', source: 'Example Institute', published: '2026-02-09', sections: ['Lead'] },
];

/** An engine that records questions: a source command must never reach it. */
function briefing(asked: string[]): BriefingService {
  return {
    async ask(question): Promise<Answer> {
      asked.push(question);
      return { question, abstained: true, coverage: 'none', missing: [], conflict: false, concurring: 0, answer: '', quotes: [], ms: 1, mode: 'offline', droppedQuotes: 0 } as Answer;
    },
    topics: () => [],
    topic: () => undefined,
    sources: () => SOURCES,
    documentHashes: () => ({}),
    digest: async () => ({ date: '2026-03-10', newSince: [], points: [], indicators: [], titles: {} }),
  };
}

const texts = (body: Record<string, any>) => [body.text, ...(body.blocks ?? []).flatMap((b: any) => (b.text ? [b.text.text] : (b.elements ?? []).map((e: any) => e.text)))].join('\n');

describe('with a SourceDesk and an editor', () => {
  const desk = new FakeDesk();
  const asked: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    // Long enough that a fast desk never shows a placeholder; the slow test holds the desk instead.
    h = await startHarness(briefing(asked), { sources: desk, env: { BRIEFBOT_EDITORS: `${EDITOR} U0OTHER` }, placeholderAfterMs: 200 });
  });
  afterAll(async () => h?.stop());
  afterEach(() => desk.reset());

  async function brief(text: string, user = EDITOR, n = 1) {
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text, user_id: user, channel_id: 'C0SOURCES', response_url: url }));
    const id = url.split('/').pop();
    return (await h.fake.waitForResponse((r) => r.id === id, n)).body;
  }

  test('a reader asking to add gets the polite no, and the desk is never called', async () => {
    const body = await brief('add https://news.example/inspectors', READER);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe('Sorry, only the editors can add or remove sources and feeds. Please ask one of the editors to do it for you.');
    expect(desk.calls).toEqual([]);
    expect(asked).toEqual([]);
  });

  test('an editor adds a link Slack sent as <url|label>: the address, unescaped, reaches the desk; the card shows the document', async () => {
    const body = await brief('add <https://news.example/inspectors?a=1&amp;b=2|news.example/inspectors>');
    expect(desk.calls).toEqual([{ method: 'add', request: { url: 'https://news.example/inspectors?a=1&b=2', by: `slack:${EDITOR}` } }]);
    expect(body.response_type).toBe('ephemeral');
    const shown = texts(body);
    expect(shown).toContain(`*Added to the sources: ${ADDED.title}*`);
    expect(shown).toContain('I answer from it now.');
    expect(shown).toContain('• *Outlet and date* — Tidewater Gulf Monitor, 10 Mar 2026');
    expect(shown).toContain('• *Sections (3)* — Inspectors Return to Fordow; What the IAEA found; Next steps');
    expect(shown).toContain('• *Size* — 13 KB');
    expect(shown).toContain(`• *Id* — \`${ADDED.id}\`; \`/brief remove ${ADDED.id}\` removes it`);
    expect(asked).toEqual([]);
  });

  test('a bare link and <url> without a label are read the same', async () => {
    await brief('add https://news.example/a');
    await brief('add <https://news.example/b>');
    expect(desk.calls.map((c) => (c.method === 'add' && 'url' in c.request ? c.request.url : ''))).toEqual(['https://news.example/a', 'https://news.example/b']);
  });

  test('a duplicate names the document that has it and why', async () => {
    desk.answer('add', () => ({ kind: 'duplicate', id: 'muscat.md', title: 'Muscat talks analysis', why: 'same_content' }));
    expect((await brief('add https://mirror.example/muscat')).text).toBe('Already in the sources: “Muscat talks analysis” (`muscat.md`); it has the same text. Nothing was added.');
    desk.answer('add', () => ({ kind: 'duplicate', id: 'muscat.md', title: 'Muscat talks analysis', why: 'same_url' }));
    expect((await brief('add https://news.example/muscat')).text).toContain('it comes from the same address');
  });

  test('a user-safe refusal is shown as the desk wrote it; anything else is a generic apology', async () => {
    desk.failNext('add', userError('url_private', 'The address 10.0.0.7 is on a private network, so I will not fetch it.'));
    expect((await brief('add http://10.0.0.7/')).text).toBe('I could not add that: The address 10.0.0.7 is on a private network, so I will not fetch it. Nothing was added.');
    desk.failNext('add', new Error('SQLITE_BUSY at /srv/briefbot/data/state.db'));
    const sorry = (await brief('add https://news.example/c')).text;
    expect(sorry).toBe('Sorry, something went wrong on my side while adding that. Nothing was added; please try again in a minute.');
    expect(sorry).not.toContain('SQLITE');
    expect(h.log.lines.some((l) => l.msg === 'slack: source command failed' && l.error?.includes('SQLITE_BUSY'))).toBe(true);
  });

  test('a slow add shows "Adding…" at once, then the outcome replaces it', async () => {
    const release = desk.hold();
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text: 'add https://slow.example/report', user_id: EDITOR, response_url: url }));
    const id = url.split('/').pop();
    const placeholder = await h.fake.waitForResponse((r) => r.id === id);
    expect(placeholder.body.text).toBe('Adding https://slow.example/report… fetching, reading and indexing it can take a few seconds.');
    release();
    const done = await h.fake.waitForResponse((r) => r.id === id, 2);
    expect(done.body.replace_original).toBe(true);
    expect(texts(done.body)).toContain(`Added to the sources: ${ADDED.title}`);
  });

  test('add without a link, or with two words, explains the usage', async () => {
    expect((await brief('add')).text).toBe('Usage: `/brief add URL` adds an article to the sources: a web page, a PDF, Markdown or text. To add a file, share it with me in a direct message.');
    expect((await brief('add my notes')).text).toMatch(/^Usage: `\/brief add URL`/);
    expect(desk.calls).toEqual([]);
  });

  test('remove: the document removed; an unknown id refused in the desk’s words; readers refused', async () => {
    expect((await brief(`remove ${ADDED.id}`)).text).toBe(`Removed “${ADDED.title}” (\`${ADDED.id}\`) from the sources. I no longer quote it.`);
    expect(desk.calls).toEqual([{ method: 'remove', id: ADDED.id, by: `slack:${EDITOR}` }]);
    expect((await brief('remove nope.md')).text).toBe('I could not remove that: No document has the id “nope.md”; `sources` lists them. Nothing was removed.');
    expect((await brief('remove muscat.md', READER)).text).toMatch(/^Sorry, only the editors/);
    expect((await brief('remove')).text).toBe('Usage: `/brief remove ID` removes a document from the sources; `/brief sources` lists them with their ids.');
  });

  test('/brief sources shows editors the ids remove takes, and readers the plain list', async () => {
    const forEditor = texts(await brief('sources'));
    expect(forEditor).toContain(`• *${ADDED.title}* — Tidewater Gulf Monitor, 10 Mar 2026 · \`${ADDED.id}\``);
    expect(forEditor).toContain('Each document’s id is shown with it; `/brief remove ID` removes that document.');
    const forReader = texts(await brief('sources', READER));
    expect(forReader).toContain(`• *${ADDED.title}* — Tidewater Gulf Monitor, 10 Mar 2026`);
    expect(forReader).not.toContain(ADDED.id);
  });

  test('feeds: add (a <url|label>), add again, list, poll, remove by id, remove an unknown one', async () => {
    const added = await brief('feed add <https://feeds.example/rss?x=1&amp;y=2|feeds.example/rss>');
    expect(desk.calls[0]).toEqual({ method: 'addFeed', url: 'https://feeds.example/rss?x=1&y=2', by: `slack:${EDITOR}` });
    expect(added.text).toBe('Following https://feeds.example/rss?x=1&amp;y=2 (id 1). Its new articles are added to the sources as they appear; `/brief feed poll` checks it now, `/brief feed remove ID` stops it.');
    expect((await brief('feed add https://feeds.example/rss?x=1&amp;y=2')).text).toBe('I already follow https://feeds.example/rss?x=1&amp;y=2 (id 1, since 10 Mar 2026 09:00 UTC). Nothing was changed.');

    Object.assign(desk.feedList[0], { title: 'Gulf Monitor', lastPolledAt: '2026-03-10T09:30:00.000Z', lastError: 'The feed answered 503.' });
    const list = texts(await brief('feeds', READER));
    expect(list).toContain('*Feeds (1 feed)*');
    expect(list).toContain('• *Gulf Monitor* — id 1 · https://feeds.example/rss?x=1&amp;y=2 · last checked 10 Mar 2026 09:30 UTC');
    expect(list).toContain('Last error: The feed answered 503.');
    expect(texts(await brief('feed list'))).toContain('*Feeds (1 feed)*');

    desk.answer('pollFeeds', () => [
      { feedId: 1, url: 'https://feeds.example/rss', status: 'ok', added: ['added/a.md', 'added/b.md'], duplicates: 1, failed: 0 },
      { feedId: 2, url: 'https://feeds.example/atom', status: 'failed', added: [], duplicates: 0, failed: 0, error: 'The feed answered 404' },
    ]);
    const poll = texts(await brief('feed poll'));
    expect(poll).toContain('*Checked 2 feeds*');
    expect(poll).toContain('2 new articles added to the sources; 1 feed failed.');
    expect(poll).toContain('• *https://feeds.example/rss* — 2 articles added, 1 already in the sources');
    expect(poll).toContain('Added: `added/a.md`, `added/b.md`');
    expect(poll).toContain('• *https://feeds.example/atom* — failed: The feed answered 404.');

    expect((await brief('feed remove 1')).text).toBe('Stopped following “Gulf Monitor” (https://feeds.example/rss?x=1&amp;y=2). Articles already added from it stay in the sources; `/brief remove ID` removes one.');
    expect((await brief('feed remove 9')).text).toBe('I follow no feed “9”. `/brief feeds` lists the feeds with their ids.');
    expect((await brief('feeds')).text).toBe('I follow no feeds yet. `/brief feed add URL` follows one.');
    expect((await brief('feed poll', READER)).text).toMatch(/^Sorry, only the editors/);
    expect((await brief('feed')).text).toMatch(/^Usage: `\/brief feed add URL` follows an RSS or Atom feed/);
  });

  test('help lists the source commands', async () => {
    const help = JSON.stringify((await brief('help')).blocks);
    expect(help).toContain('`/brief add URL`: add an article to the sources');
    expect(help).toContain('`/brief remove ID`: remove a document');
    expect(help).toContain('`/brief feed add URL | list | remove ID | poll`');
  });
});

describe('files shared in a DM', () => {
  const desk = new FakeDesk();
  const asked: string[] = [];
  const downloads: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  const BYTES = Buffer.from('---\ntitle: Field notes\n---\n\n# Field notes\n\nInspectors returned to Fordow.\n');
  let files: Server;
  let cdn = '';
  let h: Harness;
  beforeAll(async () => {
    // Slack's file host: it serves url_private only with the bot token, as files.slack.com does.
    files = createServer((req, res) => {
      downloads.push({ path: req.url ?? '', headers: req.headers });
      if (req.headers.authorization !== `Bearer ${BOT_TOKEN}`) return void res.writeHead(302, { location: 'https://slack.com/signin' }).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BYTES.length }).end(BYTES);
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    cdn = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    h = await startHarness(briefing(asked), { sources: desk, env: { BRIEFBOT_EDITORS: EDITOR, BRIEFBOT_ALLOW_PRIVATE_URLS: 'true' } });
    h.fake.addFile({ id: 'F0NOTES', name: 'field-notes.md', mimetype: 'text/markdown', url_private: `${cdn}/files-pri/T0FAKE-F0NOTES/field-notes.md`, url_private_download: `${cdn}/files-pri/T0FAKE-F0NOTES/download/field-notes.md` });
    h.fake.addFile({ id: 'F0PHOTO', name: 'photo.png', mimetype: 'image/png', url_private: `${cdn}/files-pri/T0FAKE-F0PHOTO/photo.png` });
  });
  afterAll(async () => {
    await h?.stop();
    files?.closeAllConnections();
    await new Promise<void>((resolve) => files?.close(() => resolve()));
  });
  afterEach(() => desk.reset());

  const share = (channel: string, user: string, fileId: string, eventId?: string) => {
    const ts = h.fake.nextTs();
    const body = eventCallback({ type: 'message', subtype: 'file_share', channel_type: 'im', channel, user, text: 'please add this', ts, files: [{ id: fileId, name: 'x' }] }, { eventId });
    return { ts, body };
  };

  test('an editor’s file: files.info, the download with the bot token, the bytes to the desk, the outcome in the thread, once', async () => {
    const shared = share('D0EDITOR', EDITOR, 'F0NOTES', 'Ev0FILESHARE1');
    expect((await h.requester.event(shared.body)).status).toBe(200);
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0EDITOR');
    expect(post.args.thread_ts).toBe(shared.ts);
    expect(post.args.text).toContain(`Added to the sources: ${ADDED.title}`);

    const [info] = h.fake.callsTo('files.info');
    expect(info.args.file).toBe('F0NOTES');
    expect(info.token).toBe(BOT_TOKEN);
    expect(downloads.map((d) => [d.path, d.headers.authorization])).toEqual([['/files-pri/T0FAKE-F0NOTES/download/field-notes.md', `Bearer ${BOT_TOKEN}`]]);
    expect(desk.calls).toHaveLength(1);
    const call = desk.calls[0];
    if (call.method !== 'add' || !('file' in call.request)) throw new Error('expected a file add');
    expect(call.request.file.bytes.equals(BYTES)).toBe(true);
    expect(call.request).toMatchObject({ file: { name: 'field-notes.md', contentType: 'text/markdown' }, by: `slack:${EDITOR}` });
    // The share's text is not a question.
    expect(asked).toEqual([]);

    // Slack redelivers the event: nothing is added or said twice.
    await h.requester.event(shared.body, { retryNum: 1 });
    await h.log.waitFor((l) => l.msg === 'slack: file share already handled');
    expect(desk.calls).toHaveLength(1);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'D0EDITOR')).toHaveLength(1);
  });

  test('a reader’s file gets the polite no; nothing is fetched', async () => {
    const before = h.fake.callsTo('files.info').length;
    await h.requester.event(share('D0READER', READER, 'F0NOTES').body);
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0READER');
    expect(post.args.text).toMatch(/^Sorry, only the editors/);
    expect(h.fake.callsTo('files.info')).toHaveLength(before);
    expect(desk.calls).toEqual([]);
  });

  test('a format the extractor cannot read is refused clearly, without a download', async () => {
    const downloaded = downloads.length;
    await h.requester.event(share('D0PHOTO', EDITOR, 'F0PHOTO').body);
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0PHOTO');
    expect(post.args.text).toBe('I can’t read that format (“photo.png”). I can add HTML pages (.html, .htm), PDFs (.pdf), Markdown (.md) and text files (.txt). Nothing was added.');
    expect(downloads).toHaveLength(downloaded);
    expect(desk.calls).toEqual([]);
  });

  test('the desk refusing the file: its message in the thread', async () => {
    desk.failNext('add', userError('extract_empty', 'I found no article text in “field-notes.md”.'));
    await h.requester.event(share('D0EMPTY', EDITOR, 'F0NOTES').body);
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0EMPTY');
    expect(post.args.text).toBe('I could not add that file: I found no article text in “field-notes.md”. Nothing was added.');
  });
});

test('without a SourceDesk there are no source commands: "/brief add …" is a question', async () => {
  const asked: string[] = [];
  const h = await startHarness(briefing(asked), { env: { BRIEFBOT_EDITORS: EDITOR } });
  try {
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text: 'add https://news.example/x', user_id: EDITOR, response_url: url }));
    await h.fake.waitForResponse((r) => r.id === url.split('/').pop());
    expect(asked).toEqual(['add https://news.example/x']);
  } finally {
    await h.stop();
  }
});

test('with no editors configured, nobody may change the sources, and the refusal says how editors are set', async () => {
  const desk = new FakeDesk();
  const h = await startHarness(briefing([]), { sources: desk });
  try {
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text: `remove ${ADDED.id}`, user_id: EDITOR, response_url: url }));
    const { body } = await h.fake.waitForResponse((r) => r.id === url.split('/').pop());
    expect(body.text).toBe('Sorry, nobody can add or remove sources from the chat yet: editors are set with BRIEFBOT_EDITORS. Please ask whoever runs briefbot.');
    expect(desk.calls).toEqual([]);
  } finally {
    await h.stop();
  }
});
