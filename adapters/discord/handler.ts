// Interaction -> command from the table -> reply within Discord's 3-second window: directly when the
// work is done in time, else by deferring and editing the deferral (adapters/shared/reply-flow.ts).
// Every failure is logged and, where Discord still lets us, answered; nothing throws into discord.js.
import { MessageFlags, type AutocompleteInteraction, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { describeError } from '../../src/errors.js';
import { replyWhenReady } from '../shared/reply-flow.js';
import type { AdapterDeps } from '../types.js';
import type { Reply, SlashCommand } from './commands.js';
import { textMessage, type DiscordMessage } from './render.js';

export const ERROR_REPLY = 'Sorry, something went wrong while answering. Please try again in a moment.';

export interface HandledInteraction {
  interactionId: string;
  command: string;
  ok: boolean;
  /** True when the reply went out as deferReply + editReply. */
  deferred: boolean;
  messages: number;
  ms: number;
  /** On failure: whether the short error message reached Discord. */
  errorReplied?: boolean;
}

export interface HandlerOptions {
  /** Reply directly if the answer is ready within this, else defer (Discord allows 3 s). */
  replyDeadlineMs: number;
  commands: readonly SlashCommand[];
  /** Called once per handled interaction, after its last REST call (observability; tests). */
  onHandled?: (result: HandledInteraction) => void;
}

const flags = (ephemeral: boolean) => (ephemeral ? MessageFlags.Ephemeral : undefined);
const payload = (message: DiscordMessage) => ({ content: message.content, embeds: message.embeds ?? [] });

function unknownCommand(name: string, commands: readonly SlashCommand[]): Reply {
  return { messages: [textMessage(`I don't know /${name}. Try ${commands.map((c) => `/${c.name}`).join(', ')}.`)], ephemeral: true };
}

/** The first message as the interaction's reply (or the edit of its deferral), the rest as follow-ups. */
async function send(interaction: ChatInputCommandInteraction, [first, ...rest]: DiscordMessage[], ephemeral: boolean): Promise<void> {
  if (interaction.deferred) await interaction.editReply(payload(first));
  else await interaction.reply({ ...payload(first), flags: flags(ephemeral) });
  for (const message of rest) await interaction.followUp({ ...payload(message), flags: flags(ephemeral) });
}

/** Tells the user something went wrong, whichever state the interaction is in. Never throws. */
async function sendError(interaction: ChatInputCommandInteraction): Promise<boolean> {
  try {
    if (interaction.replied) await interaction.followUp({ content: ERROR_REPLY, flags: MessageFlags.Ephemeral });
    else if (interaction.deferred) await interaction.editReply({ content: ERROR_REPLY });
    else await interaction.reply({ content: ERROR_REPLY, flags: MessageFlags.Ephemeral });
    return true;
  } catch {
    return false;
  }
}

async function handleAutocomplete(interaction: AutocompleteInteraction, ctx: AdapterDeps, commands: readonly SlashCommand[]): Promise<void> {
  const command = commands.find((c) => c.name === interaction.commandName);
  try {
    const choices = command?.autocomplete ? await command.autocomplete(interaction, ctx) : [];
    await interaction.respond(choices.slice(0, 25));
  } catch (err) {
    ctx.logger.warn({ error: describeError(err), command: interaction.commandName, interactionId: interaction.id }, 'discord autocomplete failed');
  }
}

async function handleCommand(interaction: ChatInputCommandInteraction, ctx: AdapterDeps, options: HandlerOptions): Promise<HandledInteraction> {
  const { commands } = options;
  const started = performance.now();
  const command = commands.find((c) => c.name === interaction.commandName);
  const base = { interactionId: interaction.id, command: interaction.commandName };
  const log = ctx.logger.child({ ...base, guildId: interaction.guildId ?? undefined, channelId: interaction.channelId });
  const work = Promise.resolve().then(() => (command ? command.run(interaction, ctx) : unknownCommand(interaction.commandName, commands)));
  const isPrivate = command?.isPrivate?.(interaction) ?? false;
  // The visibility of a deferred reply is fixed by deferReply; an edit cannot change it.
  const ephemeral = (reply: Reply) => (interaction.deferred ? isPrivate : reply.ephemeral ?? isPrivate);
  let errorReplied: boolean | undefined;
  const done = await replyWhenReady(work, {
    deadlineMs: options.replyDeadlineMs,
    hold: () => interaction.deferReply({ flags: flags(isPrivate) }),
    send: (reply) => send(interaction, reply.messages, ephemeral(reply)),
    async fail(err) {
      // @discordjs/rest has already retried 5xx and waited out 429s by the time an error reaches us.
      log.error({ error: describeError(err) }, 'discord command failed');
      errorReplied = await sendError(interaction);
      if (!errorReplied) log.error('discord error reply failed too; the user sees "The application did not respond"');
    },
  });
  const messages = done?.reply.messages.length ?? 0;
  const result = { ...base, ok: done !== undefined, deferred: interaction.deferred, messages, ms: Math.round(performance.now() - started), errorReplied };
  if (done) log.info({ ms: result.ms, deferred: result.deferred, messages, ephemeral: ephemeral(done.reply) }, 'discord command answered');
  return result;
}

/** The `interactionCreate` listener. */
export function createInteractionHandler(ctx: AdapterDeps, options: HandlerOptions): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    try {
      if (interaction.isAutocomplete()) return await handleAutocomplete(interaction, ctx, options.commands);
      if (!interaction.isChatInputCommand()) return;
      const result = await handleCommand(interaction, ctx, options);
      options.onHandled?.(result);
    } catch (err) {
      ctx.logger.error({ error: describeError(err), interactionId: interaction.id }, 'discord interaction handler crashed');
    }
  };
}
