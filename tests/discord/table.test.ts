// The command table is the extension point (the digest issue adds `/digest` this way): a command
// given in the table is dispatched, including autocomplete, with no change to the handler.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SlashCommandBuilder } from 'discord.js';
import { COMMANDS, type SlashCommand } from '../../adapters/discord/commands.js';
import { fakeBriefing, messageBodies, startHarness, type Harness } from './helpers.js';

const zones = ['Europe/London', 'Europe/Paris', 'America/New_York'];
const zone: SlashCommand = {
  name: 'zone',
  definition: () =>
    new SlashCommandBuilder()
      .setName('zone')
      .setDescription('Test command')
      .addStringOption((o) => o.setName('tz').setDescription('Zone').setAutocomplete(true))
      .toJSON(),
  isPrivate: () => true,
  run: (interaction, ctx) => ({ messages: [{ content: `tz=${interaction.options.getString('tz')} topics=${ctx.briefing.topics().length}` }] }),
  autocomplete: (interaction) => zones.filter((z) => z.toLowerCase().includes(interaction.options.getFocused().toLowerCase())).map((z) => ({ name: z, value: z })),
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness(fakeBriefing(), { commands: [...COMMANDS, zone] });
});
afterAll(async () => h?.stop());

test('a command added to the table is answered', async () => {
  const c = h.command('zone', [{ name: 'tz', type: 3, value: 'Europe/Paris' }]);
  await c.done;
  const [data] = messageBodies(c.requests());
  expect(data).toMatchObject({ content: 'tz=Europe/Paris topics=2', flags: 64, allowed_mentions: { parse: [] } });
});

test('its autocomplete is answered with choices (callback type 8)', async () => {
  const sent = h.fake.dispatchInteraction({ type: 4, data: h.fake.slashCommand('zone', [{ name: 'tz', type: 3, value: 'euro', focused: true }]) });
  const callback = await h.fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${sent.id}/`));
  expect(callback.body).toEqual({
    type: 8,
    data: { choices: [{ name: 'Europe/London', value: 'Europe/London' }, { name: 'Europe/Paris', value: 'Europe/Paris' }] },
  });
});
