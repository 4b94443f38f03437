// Adding from Discord (R2.5): `/sources list|add|remove|feed|feeds|feed-remove|poll` through a real
// discord.js Client against the fake Discord, with a fake SourceDesk that records what reached it.
// Managers see the command (default_member_permissions); only editors, by user or role id, change anything.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { registerCommands } from '../../adapters/discord/register.js';
import { ADDED, FakeDesk, userError } from '../shared/fake-desk.js';
import type { CommandOption, FakeUser } from './fake-discord.js';
import { BOT_TOKEN, fakeBriefing, messageBodies, startHarness, type Harness } from './helpers.js';

const EPHEMERAL = 64;
const EDITOR: FakeUser = { id: '500000000000000005', username: 'editor' };
const READER: FakeUser = { id: '500000000000000006', username: 'reader' };
const ROLE_MEMBER: FakeUser = { id: '500000000000000007', username: 'desk-member' };
const EDITOR_ROLE = '600000000000000006';

const sub = (name: string, options: CommandOption[] = []): CommandOption[] => [{ name, type: 1, options }];
const str = (name: string, value: string): CommandOption => ({ name, type: 3, value });

describe('with a SourceDesk', () => {
  const desk = new FakeDesk();
  const downloads: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  const BYTES = Buffer.from('%PDF-1.4\n% a small report\n');
  let cdn: Server;
  let cdnUrl = '';
  let h: Harness;
  beforeAll(async () => {
    // Discord's CDN, on loopback: the tests allow private addresses for it.
    cdn = createServer((req, res) => {
      downloads.push({ path: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': BYTES.length }).end(BYTES);
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
    h = await startHarness(fakeBriefing(), {}, { sources: desk, env: { BRIEFBOT_EDITORS: `${EDITOR.id},${EDITOR_ROLE}`, BRIEFBOT_ALLOW_PRIVATE_URLS: 'true' } });
  });
  afterAll(async () => {
    await h?.stop();
    cdn?.closeAllConnections();
    await new Promise<void>((resolve) => cdn?.close(() => resolve()));
  });
  afterEach(() => desk.reset());

  async function sources(options: CommandOption[], user = EDITOR, extra: { roles?: string[]; resolved?: Record<string, unknown> } = {}) {
    const c = h.command('sources', options, { user, ...extra });
    await c.done;
    const bodies = messageBodies(c.requests());
    expect(bodies).toHaveLength(1);
    return bodies[0];
  }

  test('a reader gets the polite no, privately, and the desk is never called', async () => {
    const data = await sources(sub('add', [str('url', 'https://news.example/inspectors')]), READER);
    expect(data.content).toBe('Sorry, only the editors can add or remove sources and feeds. Please ask one of the editors to do it for you.');
    expect(data.flags).toBe(EPHEMERAL);
    expect(desk.calls).toEqual([]);
  });

  test('an editor adds a link: the card shows title, outlet, date, sections, size and the id to remove it', async () => {
    const data = await sources(sub('add', [str('url', 'https://news.example/inspectors')]));
    expect(desk.calls).toEqual([{ method: 'add', request: { url: 'https://news.example/inspectors', by: `discord:${EDITOR.id}` } }]);
    expect(data.flags).toBe(EPHEMERAL);
    const [embed] = data.embeds;
    expect(embed.title).toBe(`Added to the sources: ${ADDED.title}`);
    expect(embed.description).toBe('I answer from it now.');
    expect(embed.fields).toEqual([
      { name: 'Outlet and date', value: 'Tidewater Gulf Monitor, 10 Mar 2026' },
      { name: 'Address', value: 'https://news.example/inspectors' },
      { name: 'Sections (3)', value: 'Inspectors Return to Fordow; What the IAEA found; Next steps' },
      { name: 'Size', value: '13 KB' },
      { name: 'Id', value: `\`${ADDED.id}\`; \`/sources remove id:${ADDED.id}\` removes it` },
    ]);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  test('a member whose role is on the editors list is an editor', async () => {
    const data = await sources(sub('remove', [str('id', ADDED.id)]), ROLE_MEMBER, { roles: ['600000000000000099', EDITOR_ROLE] });
    expect(data.content).toBe(`Removed “${ADDED.title}” (\`${ADDED.id}\`) from the sources. I no longer quote it.`);
    expect(desk.calls).toEqual([{ method: 'remove', id: ADDED.id, by: `discord:${ROLE_MEMBER.id}` }]);
    const other = await sources(sub('remove', [str('id', ADDED.id)]), ROLE_MEMBER, { roles: ['600000000000000099'] });
    expect(other.content).toMatch(/^Sorry, only the editors/);
  });

  test('a duplicate, a user-safe refusal (shown as written) and an internal failure (a generic apology)', async () => {
    desk.answer('add', () => ({ kind: 'duplicate', id: 'a.md', title: 'Muscat talks analysis', why: 'same_url' }));
    expect((await sources(sub('add', [str('url', 'https://news.example/muscat')]))).content).toBe(
      'Already in the sources: “Muscat talks analysis” (`a.md`); it comes from the same address. Nothing was added.',
    );
    desk.reset();
    desk.failNext('add', userError('extract_empty', 'That page has no article text I can find.'));
    const refused = await sources(sub('add', [str('url', 'https://news.example/empty')]));
    expect(refused.content).toBe('I could not add that: That page has no article text I can find. Nothing was added.');
    expect(refused.flags).toBe(EPHEMERAL);
    desk.failNext('add', new TypeError("Cannot read properties of undefined (reading 'sections')"));
    const sorry = await sources(sub('add', [str('url', 'https://news.example/bug')]));
    expect(sorry.content).toBe('Sorry, something went wrong on my side while adding that. Nothing was added; please try again in a minute.');
    expect(h.log.lines.some((l) => l.msg === 'discord /sources failed' && l.error?.name === 'TypeError')).toBe(true);
  });

  test('an unknown id is refused in the desk’s words', async () => {
    expect((await sources(sub('remove', [str('id', 'nope.md')]))).content).toBe('I could not remove that: No document has the id “nope.md”; `sources` lists them. Nothing was removed.');
  });

  test('an attachment is downloaded from the CDN and its bytes given to the desk', async () => {
    const attachment = { id: '700000000000000007', filename: 'report.pdf', size: BYTES.length, url: `${cdnUrl}/attachments/1/2/report.pdf?ex=1`, proxy_url: `${cdnUrl}/proxy/report.pdf`, content_type: 'application/pdf' };
    const data = await sources(sub('add', [{ name: 'file', type: 11, value: attachment.id }]), EDITOR, { resolved: { attachments: { [attachment.id]: attachment } } });
    expect(downloads.map((d) => d.path)).toEqual(['/attachments/1/2/report.pdf?ex=1']);
    // Nothing of ours travels to the CDN: no bot token.
    expect(downloads[0].headers.authorization).toBeUndefined();
    const call = desk.calls[0];
    if (call?.method !== 'add' || !('file' in call.request)) throw new Error('expected a file add');
    expect(call.request.file.bytes.equals(BYTES)).toBe(true);
    expect(call.request).toMatchObject({ file: { name: 'report.pdf', contentType: 'application/pdf' }, by: `discord:${EDITOR.id}` });
    expect(data.embeds[0].title).toBe(`Added to the sources: ${ADDED.title}`);
  });

  test('an attachment of another format is refused without a download; url and file together get the usage', async () => {
    const before = downloads.length;
    const photo = { id: '700000000000000008', filename: 'photo.png', size: 10, url: `${cdnUrl}/attachments/photo.png`, proxy_url: `${cdnUrl}/p.png`, content_type: 'image/png' };
    const refused = await sources(sub('add', [{ name: 'file', type: 11, value: photo.id }]), EDITOR, { resolved: { attachments: { [photo.id]: photo } } });
    expect(refused.content).toBe('I can’t read that format (“photo.png”). I can add HTML pages (.html, .htm), PDFs (.pdf), Markdown (.md) and text files (.txt). Nothing was added.');
    expect(downloads).toHaveLength(before);
    const both = await sources(sub('add', [str('url', 'https://a.example/'), { name: 'file', type: 11, value: photo.id }]), EDITOR, { resolved: { attachments: { [photo.id]: photo } } });
    expect(both.content).toBe('Usage: `/sources add url:` adds an article to the sources: a web page, a PDF, Markdown or text. To add a file, attach it to `/sources add file:`.');
    expect((await sources(sub('add'))).content).toMatch(/^Usage: `\/sources add url:`/);
    expect(desk.calls).toEqual([]);
  });

  test('feeds: follow, follow again, list, poll, stop, stop an unknown one', async () => {
    expect((await sources(sub('feed', [str('url', 'https://feeds.example/rss')]))).content).toBe(
      'Following https://feeds.example/rss (id 1). Its new articles are added to the sources as they appear; `/sources poll` checks it now, `/sources feed-remove feed:` stops it.',
    );
    expect(desk.calls[0]).toEqual({ method: 'addFeed', url: 'https://feeds.example/rss', by: `discord:${EDITOR.id}` });
    expect((await sources(sub('feed', [str('url', 'https://feeds.example/rss')]))).content).toMatch(/^I already follow https:\/\/feeds\.example\/rss \(id 1, since 10 Mar 2026 09:00 UTC\)/);

    Object.assign(desk.feedList[0], { title: 'Gulf Monitor', lastPolledAt: '2026-03-10T09:30:00.000Z', lastError: 'The feed answered 503.' });
    const [list] = (await sources(sub('feeds'))).embeds;
    expect(list.title).toBe('Feeds (1 feed)');
    expect(list.fields).toEqual([{ name: 'Gulf Monitor', value: 'id 1 · https://feeds.example/rss · last checked 10 Mar 2026 09:30 UTC\nLast error: The feed answered 503.' }]);

    desk.answer('pollFeeds', () => [{ feedId: 1, url: 'https://feeds.example/rss', status: 'not_modified', added: [], duplicates: 0, failed: 0 }]);
    const [poll] = (await sources(sub('poll'))).embeds;
    expect(poll.title).toBe('Checked 1 feed');
    expect(poll.description).toBe('No new articles.');
    expect(poll.fields).toEqual([{ name: 'https://feeds.example/rss', value: 'unchanged since the last check' }]);

    expect((await sources(sub('feed-remove', [str('feed', 'https://feeds.example/rss')]))).content).toBe(
      'Stopped following “Gulf Monitor” (https://feeds.example/rss). Articles already added from it stay in the sources; `/sources remove id:` removes one.',
    );
    expect((await sources(sub('feed-remove', [str('feed', '4')]))).content).toBe('I follow no feed “4”. `/sources feeds` lists the feeds with their ids.');
    expect((await sources(sub('poll'), READER)).content).toMatch(/^Sorry, only the editors/);
  });

  test('list: public as before; editors also see each document’s id', async () => {
    const forReader = await sources(sub('list'), READER);
    expect(forReader.flags ?? 0).toBe(0);
    expect(forReader.embeds[0].fields[0]).toEqual({ name: 'Muscat talks analysis', value: "Example Institute, 9 Feb 2026\nSections: Oman's role; Outlook" });
    const forEditor = await sources(sub('list'));
    expect(forEditor.embeds[0].description).toBe('Each document’s id is shown with it; `/sources remove id:` removes that document.');
    expect(forEditor.embeds[0].fields[0]).toEqual({ name: 'Muscat talks analysis', value: "Example Institute, 9 Feb 2026\n`a.md`\nSections: Oman's role; Outlook" });
  });

  test('remove id: autocompletes the document ids', async () => {
    const sent = h.fake.dispatchInteraction({ type: 4, user: EDITOR, data: h.fake.slashCommand('sources', [{ name: 'remove', type: 1, options: [{ name: 'id', type: 3, value: 'sanc', focused: true }] }]) });
    const callback = await h.fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${sent.id}/`));
    expect(callback.body).toEqual({ type: 8, data: { choices: [{ name: 'Sanctions brief — b.md', value: 'b.md' }] } });
  });
});

test('a slow add is deferred privately, then the deferral is edited with the outcome', async () => {
  const desk = new FakeDesk();
  const h = await startHarness(fakeBriefing(), { replyDeadlineMs: 0 }, { sources: desk, env: { BRIEFBOT_EDITORS: EDITOR.id } });
  try {
    const release = desk.hold();
    const c = h.command('sources', sub('add', [str('url', 'https://slow.example/report')]), { user: EDITOR });
    const deferred = await h.fake.waitForRequest((r) => r.path === `/api/v10/interactions/${c.id}/${c.token}/callback`);
    expect(deferred.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    await desk.waitForCall('add');
    release();
    expect(await c.done).toMatchObject({ ok: true, deferred: true });
    const edit = c.requests().find((r) => r.method === 'PATCH');
    expect(edit?.body.embeds[0].title).toBe(`Added to the sources: ${ADDED.title}`);
  } finally {
    await h.stop();
  }
});

test('without a SourceDesk: the list works, editing says it is not available here', async () => {
  const h = await startHarness(fakeBriefing(), {}, { env: { BRIEFBOT_EDITORS: EDITOR.id } });
  try {
    const list = h.command('sources', sub('list'), { user: EDITOR });
    await list.done;
    expect(messageBodies(list.requests())[0].embeds[0].title).toBe('Sources (2 documents, newest first)');
    const add = h.command('sources', sub('add', [str('url', 'https://news.example/x')]), { user: EDITOR });
    await add.done;
    expect(messageBodies(add.requests())[0]).toMatchObject({ content: 'Adding and removing sources is not available here: this bot runs with a read-only corpus.', flags: EPHEMERAL });
  } finally {
    await h.stop();
  }
});

test('/sources is registered for managers only (Manage Server), with its subcommands', async () => {
  const { FakeDiscord } = await import('./fake-discord.js');
  const fake = await FakeDiscord.start();
  try {
    const result = await registerCommands({ token: BOT_TOKEN, applicationId: fake.applicationId, apiUrl: fake.apiUrl }, { guildId: '300000000000000003', topics: [] });
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    const body = (put.body as any[]).find((c) => c.name === 'sources');
    expect(body.default_member_permissions).toBe('32');
    expect(body.options.map((o: any) => [o.name, o.type, (o.options ?? []).map((x: any) => `${x.name}:${x.type}${x.required ? '!' : ''}`)])).toEqual([
      ['list', 1, []],
      ['add', 1, ['url:3', 'file:11']],
      ['remove', 1, ['id:3!']],
      ['feed', 1, ['url:3!']],
      ['feeds', 1, []],
      ['feed-remove', 1, ['feed:3!']],
      ['poll', 1, []],
    ]);
    for (const o of body.options) expect(o.description.length).toBeLessThanOrEqual(100);
    expect(result.commands.find((c) => c.name === 'sources')?.options).toEqual(['list|add|remove|feed|feeds|feed-remove|poll']);
  } finally {
    await fake.stop();
  }
});
