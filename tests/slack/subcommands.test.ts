// The /brief subcommand table: the hook later features (subscribe, unsubscribe, status) plug into.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderNotice } from '../../adapters/slack/render.js';
import { Briefing } from '../../src/briefing.js';
import { DATED_DOCS, datedCorpus, tempDir } from '../core/helpers.js';
import type { BriefSubcommand } from '../../adapters/slack/context.js';
import { defaultSubcommands, matchSubcommand } from '../../adapters/slack/brief-command.js';
import { e2eBriefing, OPEN_TIMEOUT_MS, recording, type Recorded } from './briefing.js';
import { slashCommandFields } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

const status: BriefSubcommand = {
  name: 'status',
  usage: '/brief status',
  description: 'whether this channel gets the daily digest',
  args: 'none',
  async run({ reply, command, args }) {
    await reply(renderNotice(`status for ${command.channel_id}${args ? ` (${args})` : ''}`));
  },
};
const subscribe: BriefSubcommand = {
  name: 'subscribe',
  usage: '/brief subscribe [HH:MM]',
  description: 'post the digest here daily',
  args: 'optional',
  async run({ reply, args }) {
    await reply(renderNotice(`subscribed at ${args || 'the default time'}`));
  },
};

describe('matchSubcommand', () => {
  const table = [...defaultSubcommands(), status, subscribe];
  test.each([
    ['', ''],
    ['help', 'help'],
    ['HELP', 'help'],
    ['status', 'status'],
    ['subscribe', 'subscribe'],
    ['subscribe 09:30', 'subscribe'],
  ])('%j runs %j', (text, name) => {
    expect(matchSubcommand(table, text)?.subcommand.name).toBe(name);
  });
  test.each(['help me understand the scope dispute', 'status of the talks?', 'What did Oman do?'])('%j is a question', (text) => {
    expect(matchSubcommand(table, text)).toBeUndefined();
  });
  test('arguments after the name are passed on', () => {
    expect(matchSubcommand(table, 'subscribe   09:30 ')?.args).toBe('09:30');
  });
});

describe('a table passed to startSlack', () => {
  let briefing: Recorded;
  let h: Harness;
  beforeAll(async () => {
    briefing = recording(await e2eBriefing());
    h = await startHarness(briefing, { subcommands: [...defaultSubcommands(), status, subscribe] });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await h?.stop();
  });

  async function brief(text: string) {
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text, channel_id: 'C0TABLE', response_url: url }));
    return h.fake.waitForResponse((r) => r.id === url.split('/').pop());
  }

  test('/brief sources lists the documents, newest first, with outlet and date; help names it', async () => {
    const { body } = await brief('sources');
    const sections = body.blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text.text);
    expect(sections[0]).toMatch(/^\*Sources \(\d+ documents?, newest first\)\*$/);
    expect(sections[1]).toContain('— Original analysis inspired by Muhanad Seloom from Al Jazeera, 9 Feb 2026');
    expect(JSON.stringify((await brief('help')).body.blocks)).toContain('`/brief sources`: the documents I quote from, newest first, with outlet and date');
  });

  test('runs added subcommands, lists them in help, and still treats other text as questions', async () => {
    expect((await brief('status')).body.text).toBe('status for C0TABLE');
    expect((await brief('subscribe 09:30')).body.text).toBe('subscribed at 09:30');
    const help = JSON.stringify((await brief('help')).body.blocks);
    expect(help).toContain('`/brief status`: whether this channel gets the daily digest');
    expect(help).toContain('`/brief subscribe [HH:MM]`: post the digest here daily');
    const asked = briefing.asks.length;
    await brief('status of the talks in Oman?');
    expect(briefing.asks.slice(asked).map((a) => a.question)).toEqual(['status of the talks in Oman?']);
  });
});

describe('on analyses from several outlets and dates', () => {
  const { gulf, enrichment, notes } = DATED_DOCS;
  let h: Harness;
  beforeAll(async () => {
    const briefing = await Briefing.open({ corpusDir: datedCorpus(), dataDir: tempDir('slack-dated') });
    h = await startHarness(briefing);
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await h?.stop();
  });

  async function brief(text: string) {
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text, channel_id: 'C0DATED', response_url: url }));
    return (await h.fake.waitForResponse((r) => r.id === url.split('/').pop())).body;
  }

  test('/brief sources: newest first, undated last, each with its outlet and date', async () => {
    const body = await brief('sources');
    const sections = body.blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text.text);
    expect(sections).toEqual([
      '*Sources (3 documents, newest first)*',
      [`• *${gulf.title}* — Tidewater Gulf Monitor, 10 Mar 2026`, `• *${enrichment.title}* — Caspian Policy Review, 20 Feb 2026`, `• *${notes.title}* — outlet unknown, undated`].join('\n'),
    ]);
  });

  test.each(Object.values(DATED_DOCS))('an answer quoting $id shows its outlet and date under the quote', async (doc) => {
    const body = await brief(doc.question);
    const contexts = body.blocks.filter((b: any) => b.type === 'context').map((b: any) => b.elements[0].text);
    expect(contexts[0]).toBe(`— ${doc.shown} · ${doc.section}`);
  });
});
