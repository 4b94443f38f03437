// The /brief subcommand table: the hook later features (subscribe, unsubscribe, status) plug into.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderNotice } from '../../adapters/slack/render.js';
import { defaultSubcommands, matchSubcommand, type BriefSubcommand } from '../../adapters/slack/subcommands.js';
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
