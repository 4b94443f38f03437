// Interaction -> command from the table -> reply. Every failure is logged and, where Discord still
// lets us, answered with a short message; nothing here throws into discord.js's event loop.
import type { AutocompleteInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import { describeError } from '../../src/errors.js';
import { textMessage } from './card.js';
import { COMMANDS, findCommand } from './commands.js';
import { respond, respondWithError } from './respond.js';
import type { CommandContext, Reply, SlashCommand } from './slash-command.js';

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
  replyDeadlineMs: number;
  commands?: readonly SlashCommand[];
  /** Called once per handled interaction, after its last REST call (observability; tests). */
  onHandled?: (result: HandledInteraction) => void;
}

function unknownCommand(name: string, commands: readonly SlashCommand[]): Reply {
  return { messages: [textMessage(`I don't know /${name}. Try ${commands.map((c) => `/${c.name}`).join(', ')}.`)], ephemeral: true };
}

async function handleAutocomplete(interaction: AutocompleteInteraction, ctx: CommandContext, commands: readonly SlashCommand[]): Promise<void> {
  const command = findCommand(interaction.commandName, commands);
  try {
    const choices = command?.autocomplete ? await command.autocomplete(interaction, ctx) : [];
    await interaction.respond(choices.slice(0, 25));
  } catch (err) {
    ctx.logger.warn({ error: describeError(err), command: interaction.commandName, interactionId: interaction.id }, 'discord autocomplete failed');
  }
}

async function handleCommand(interaction: ChatInputCommandInteraction, ctx: CommandContext, options: HandlerOptions, commands: readonly SlashCommand[]): Promise<HandledInteraction> {
  const started = performance.now();
  const command = findCommand(interaction.commandName, commands);
  const base = { interactionId: interaction.id, command: interaction.commandName };
  const log = ctx.logger.child({ ...base, guildId: interaction.guildId ?? undefined, channelId: interaction.channelId });
  try {
    const work = Promise.resolve().then(() => (command ? command.run(interaction, ctx) : unknownCommand(interaction.commandName, commands)));
    const isPrivate = command?.isPrivate?.(interaction) ?? false;
    const delivery = await respond(interaction, work, { deadlineMs: options.replyDeadlineMs, isPrivate });
    const ms = Math.round(performance.now() - started);
    log.info({ ms, deferred: delivery.deferred, messages: delivery.messages, ephemeral: delivery.ephemeral }, 'discord command answered');
    return { ...base, ok: true, deferred: delivery.deferred, messages: delivery.messages, ms };
  } catch (err) {
    // @discordjs/rest has already retried 5xx and waited out 429s by the time an error reaches us.
    log.error({ error: describeError(err) }, 'discord command failed');
    const errorReplied = await respondWithError(interaction, ERROR_REPLY);
    if (!errorReplied) log.error('discord error reply failed too; the user sees "The application did not respond"');
    return { ...base, ok: false, deferred: interaction.deferred, messages: 0, ms: Math.round(performance.now() - started), errorReplied };
  }
}

/** The `interactionCreate` listener. */
export function createInteractionHandler(ctx: CommandContext, options: HandlerOptions): (interaction: Interaction) => Promise<void> {
  const commands = options.commands ?? COMMANDS;
  return async (interaction) => {
    try {
      if (interaction.isAutocomplete()) return await handleAutocomplete(interaction, ctx, commands);
      if (!interaction.isChatInputCommand()) return;
      const result = await handleCommand(interaction, ctx, options, commands);
      options.onHandled?.(result);
    } catch (err) {
      ctx.logger.error({ error: describeError(err), interactionId: interaction.id }, 'discord interaction handler crashed');
    }
  };
}
