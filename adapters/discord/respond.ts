// Answering an interaction within Discord's 3-second window: reply directly when the work is done
// before the deadline, otherwise acknowledge with deferReply and deliver with editReply. Every
// message goes out with `allowed_mentions: { parse: [] }`, so nothing in a quote or question pings.
import { MessageFlags, type ChatInputCommandInteraction, type MessageMentionOptions } from 'discord.js';
import type { DiscordMessage } from './card.js';
import type { Reply } from './commands.js';

export const NO_MENTIONS: MessageMentionOptions = { parse: [] };
/** Discord drops an interaction not acknowledged within 3 s; this leaves room for the round trip. */
export const DEFAULT_REPLY_DEADLINE_MS = 2000;

export interface Delivery {
  deferred: boolean;
  messages: number;
  ephemeral: boolean;
}

const TIMED_OUT = Symbol('timed out');

function payload(message: DiscordMessage) {
  return { content: message.content, embeds: message.embeds ?? [], allowedMentions: NO_MENTIONS };
}

function flagsFor(ephemeral: boolean): MessageFlags.Ephemeral | undefined {
  return ephemeral ? MessageFlags.Ephemeral : undefined;
}

/** Runs `work` and delivers its reply, deferring first when it is not ready by `deadlineMs`. */
export async function respond(interaction: ChatInputCommandInteraction, work: Promise<Reply>, options: { deadlineMs: number; isPrivate: boolean }): Promise<Delivery> {
  // The race may be lost to the timer; the rejection is then observed by the later `await work`.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, options.deadlineMs, TIMED_OUT);
  });
  let early: Reply | typeof TIMED_OUT;
  try {
    early = await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }

  let reply: Reply;
  let ephemeral: boolean;
  const deferred = early === TIMED_OUT;
  if (early === TIMED_OUT) {
    ephemeral = options.isPrivate;
    await interaction.deferReply({ flags: flagsFor(ephemeral) });
    reply = await work;
  } else {
    reply = early;
    ephemeral = reply.ephemeral ?? options.isPrivate;
  }

  const [first, ...rest] = reply.messages.length ? reply.messages : [{ content: 'Nothing to show.' }];
  if (deferred) {
    // The visibility of a deferred reply was fixed by deferReply; an edit cannot change it.
    await interaction.editReply(payload(first));
  } else {
    await interaction.reply({ ...payload(first), flags: flagsFor(ephemeral) });
  }
  for (const message of rest) {
    await interaction.followUp({ ...payload(message), flags: flagsFor(ephemeral) });
  }
  return { deferred, messages: 1 + rest.length, ephemeral };
}

/** Tells the user something went wrong, whichever state the interaction is in. Never throws. */
export async function respondWithError(interaction: ChatInputCommandInteraction, text: string): Promise<boolean> {
  const message = { content: text, allowedMentions: NO_MENTIONS };
  try {
    if (interaction.deferred && !interaction.replied) await interaction.editReply(message);
    else if (interaction.replied) await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
    return true;
  } catch {
    return false;
  }
}
