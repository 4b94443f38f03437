// `briefbot discord register`: the bulk-overwrite PUT, to a guild or globally, through @discordjs/rest.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { formatRegistration, registerCommands } from '../../adapters/discord/register.js';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import { BOT_TOKEN, fakeBriefing } from './helpers.js';
import { FakeDiscord } from './fake-discord.js';

let fake: FakeDiscord;
let config: DiscordConfig;
const topics = fakeBriefing().topics();

beforeAll(async () => {
  fake = await FakeDiscord.start();
  // A trailing "/v10/" is tolerated: the REST base is normalised.
  config = { token: BOT_TOKEN, applicationId: fake.applicationId, apiUrl: `${fake.apiUrl}/v10/` };
});
afterAll(async () => fake?.stop());

const puts = () => fake.requests.filter((r) => r.method === 'PUT');

test('to one guild: PUT to the guild route with every command, options and limits', async () => {
  const result = await registerCommands(config, { guildId: '300000000000000003', topics });
  const [put] = puts();
  expect(put.path).toBe(`/api/v10/applications/${fake.applicationId}/guilds/300000000000000003/commands`);
  expect(put.headers.authorization).toBe(`Bot ${BOT_TOKEN}`);
  const body = put.body as any[];
  expect(body.map((c) => c.name)).toEqual(['ask', 'brief', 'sources', 'digest']);
  for (const c of body) expect(c.description.length).toBeGreaterThan(0);

  const ask = body[0];
  expect(ask.options).toEqual([
    expect.objectContaining({ name: 'question', type: 3, required: true, min_length: 1, max_length: MAX_QUESTION_CHARS, description: expect.any(String) }),
    expect.objectContaining({ name: 'private', type: 5, description: expect.any(String) }),
  ]);
  expect(ask.options[1].required ?? false).toBe(false);
  const brief = body[1];
  expect(brief.options[0]).toMatchObject({
    name: 'topic',
    type: 3,
    choices: [
      { name: 'Trust deficit', value: 'trust-deficit' },
      { name: "Oman's role", value: 'oman' },
    ],
  });
  // `/sources` lists for anyone it is shown to and edits for the editors: Manage Server by default.
  expect(body[2].default_member_permissions).toBe('32');
  expect(body[2].options.map((o: any) => o.name)).toEqual(['list', 'add', 'remove', 'feed', 'feeds', 'feed-remove', 'poll']);

  expect(result.scope).toBe('guild');
  expect(result.guildId).toBe('300000000000000003');
  expect(result.commands.map((c) => [c.name, c.options])).toEqual([
    ['ask', ['question', 'private?']],
    ['brief', ['topic?']],
    ['sources', ['list|add|remove|feed|feeds|feed-remove|poll']],
    ['digest', ['subscribe|unsubscribe|status|now']],
  ]);
  expect(result.commands.every((c) => /^\d+$/.test(c.id))).toBe(true);
  expect(formatRegistration(result)).toMatch(/^Registered 4 commands to guild 300000000000000003 \(available now\):\n {2}\/ask question private\?: /);
});

test('globally when no guild is given or configured', async () => {
  const before = puts().length;
  const result = await registerCommands(config, { topics });
  const put = puts()[before];
  expect(put.path).toBe(`/api/v10/applications/${fake.applicationId}/commands`);
  expect((put.body as any[]).map((c) => c.name)).toEqual(['ask', 'brief', 'sources', 'digest']);
  expect(result.scope).toBe('global');
  expect(formatRegistration(result)).toContain('global');
});

test('DISCORD_GUILD_ID is the default guild', async () => {
  const before = puts().length;
  await registerCommands({ ...config, guildId: '555555555555555555' }, { topics });
  expect(puts()[before].path).toBe(`/api/v10/applications/${fake.applicationId}/guilds/555555555555555555/commands`);
});

test('more than 25 topics: only 25 choices, names within 100 characters', async () => {
  const many = Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, label: `Topic ${i} ${'x'.repeat(120)}`, description: '' }));
  const before = puts().length;
  await registerCommands(config, { topics: many });
  const choices = (puts()[before].body as any[])[1].options[0].choices;
  expect(choices).toHaveLength(25);
  for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
});

test('a refused registration rejects with Discord\'s message', async () => {
  fake.fail({ method: 'PUT', path: '/commands', status: 403, body: { message: 'Missing Access', code: 50001 }, times: 1 });
  await expect(registerCommands(config, { guildId: '300000000000000003', topics })).rejects.toThrow('Missing Access');
});
