// Answering an interaction within Discord's 3-second window: reply directly when the work is done
// before the deadline, otherwise acknowledge with deferReply and deliver with editReply. Every
// message goes out with `allowed_mentions: { parse: [] }`, so nothing in a quote or question pings.
import { MessageFlags, type ChatInputCommandInteraction, type MessageMentionOptions } from 'discord.js';
import { replyWhenReady } from '../shared/reply-flow.js';
import type { DiscordMessage } from './card.js';
import type { Reply } from './slash-command.js';

export const NO_MENTIONS: MessageMentionOptions = { parse: [] };
/** Discord drops an interaction not acknowledged within 3 s; this leaves room for the round trip. */
export const DEFAULT_REPLY_DEADLINE_MS = 2000;

export interface Delivery {
  deferred: boolean;
  messages: number;
  ephemeral: boolean;
}

function payload(message: DiscordMessage) {
  return { content: message.content, embeds: message.embeds ?? [], allowedMentions: NO_MENTIONS };
}

function flagsFor(ephemeral: boolean): MessageFlags.Ephemeral | undefined {
  return ephemeral ? MessageFlags.Ephemeral : undefined;
}

/** Runs `work` and delivers its reply, deferring first when it is not ready by `deadlineMs`. */
export async function respond(interaction: ChatInputCommandInteraction, work: Promise<Reply>, options: { deadlineMs: number; isPrivate: boolean }): Promise<Delivery> {
  // The visibility of a deferred reply is fixed by deferReply; an edit cannot change it.
  const ephemeralFor = (reply: Reply, deferred: boolean) => (deferred ? options.isPrivate : reply.ephemeral ?? options.isPrivate);
  const { reply, held } = await replyWhenReady(work, {
    deadlineMs: options.deadlineMs,
    async hold() {
      await interaction.deferReply({ flags: flagsFor(options.isPrivate) });
      return true as const;
    },
    send: (ready, deferred) => send(interaction, ready, Boolean(deferred), ephemeralFor(ready, Boolean(deferred))),
  });
  const deferred = Boolean(held);
  return { deferred, messages: messagesOf(reply).length, ephemeral: ephemeralFor(reply, deferred) };
}

function messagesOf(reply: Reply): DiscordMessage[] {
  return reply.messages.length ? reply.messages : [{ content: 'Nothing to show.' }];
}

/** The first message as the interaction's reply (or the edit of its deferral), the rest as follow-ups. */
async function send(interaction: ChatInputCommandInteraction, reply: Reply, deferred: boolean, ephemeral: boolean): Promise<void> {
  const [first, ...rest] = messagesOf(reply);
  if (deferred) await interaction.editReply(payload(first));
  else await interaction.reply({ ...payload(first), flags: flagsFor(ephemeral) });
  for (const message of rest) {
    await interaction.followUp({ ...payload(message), flags: flagsFor(ephemeral) });
  }
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
