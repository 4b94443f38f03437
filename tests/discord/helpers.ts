// Shared set-up for the Discord tests: a fake Discord, the real adapter with a real discord.js
// Client logged in against it, a captured logger, and a way to wait for one interaction's end.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { discordConfig } from '../../adapters/discord/config.js';
import type { HandledInteraction } from '../../adapters/discord/handler.js';
import { startDiscord, type DiscordAdapterOptions, type RunningDiscord } from '../../adapters/discord/index.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import type { BriefingService } from '../../src/service.js';
import type { SourceDesk } from '../../src/sources/types.js';
import { openStores } from '../../src/store/stores.js';
import type { Answer, Quote, SourceInfo, Topic, TopicBriefing } from '../../src/types.js';
import { FakeDiscord, type CommandOption, type InteractionSpec, type RecordedRequest } from './fake-discord.js';

export const BOT_TOKEN = 'fake-bot-token-for-tests';

export interface CapturedLogger {
  logger: Logger;
  lines: any[];
  text(): string;
}

export function captureLogger(): CapturedLogger {
  const lines: any[] = [];
  const logger: Logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}

export interface Harness {
  fake: FakeDiscord;
  running: RunningDiscord;
  log: CapturedLogger;
  /** Dispatches a slash command; `done` resolves after the adapter's last REST call for it. */
  command(name: string, options?: CommandOption[], extra?: Partial<InteractionSpec>): { id: string; token: string; done: Promise<HandledInteraction>; requests(): RecordedRequest[] };
  stop(): Promise<void>;
}

/** What else the adapter is started with: more of the core config's environment, the SourceDesk. */
export interface HarnessDeps {
  env?: Record<string, string>;
  sources?: SourceDesk;
}

export async function startHarness(briefing: BriefingService, options: DiscordAdapterOptions = {}, deps: HarnessDeps = {}): Promise<Harness> {
  const fake = await FakeDiscord.start();
  const log = captureLogger();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'briefbot-discord-'));
  const env = { ...deps.env, DISCORD_TOKEN: BOT_TOKEN, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir };
  const config = loadConfig(env);
  const waiting = new Map<string, (r: HandledInteraction) => void>();
  const stores = await openStores({ dataDir: ':memory:' });
  const running = await startDiscord(
    discordConfig(env)!,
    { config, briefing, logger: log.logger, stores, ...(deps.sources ? { sources: deps.sources } : {}) },
    {
      // Long enough that a direct reply never races the clock in tests; the slow-path test sets its own.
      replyDeadlineMs: 60_000,
      ...options,
      onHandled: (r) => {
        options.onHandled?.(r);
        waiting.get(r.interactionId)?.(r);
      },
    },
  );
  return {
    fake,
    running,
    log,
    command(name, commandOptions = [], extra = {}) {
      const id = extra.id ?? fake.snowflake();
      const done = new Promise<HandledInteraction>((resolve) => waiting.set(id, resolve));
      const sent = fake.dispatchInteraction({ ...extra, id, data: fake.slashCommand(name, commandOptions) });
      return { id, token: sent.token, done, requests: () => fake.requestsFor(sent) };
    },
    async stop() {
      await running.stop();
      await fake.stop();
      await stores.close();
    },
  };
}

export const question = (text: string): CommandOption => ({ name: 'question', type: 3, value: text });
export const privately = (value: boolean): CommandOption => ({ name: 'private', type: 5, value });
export const topicOption = (id: string): CommandOption => ({ name: 'topic', type: 3, value: id });

/** Every message body the adapter sent for one interaction: callback data, edits and follow-ups. */
export function messageBodies(requests: RecordedRequest[]): any[] {
  return requests
    .filter((r) => r.method !== 'GET')
    .map((r) => (r.path.endsWith('/callback') ? r.body.data : r.body))
    .filter((b) => b && (b.content !== undefined || b.embeds !== undefined));
}

export function embedTotal(embed: any): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text?.length ?? 0) +
    (embed.author?.name?.length ?? 0) +
    (embed.fields ?? []).reduce((n: number, f: any) => n + f.name.length + f.value.length, 0)
  );
}

/** A small in-memory BriefingService for tests that are about the adapter, not the engine. */
export function fakeBriefing(overrides: Partial<BriefingService> = {}): BriefingService {
  const topics: Topic[] = [
    { id: 'trust-deficit', label: 'Trust deficit', description: 'Why neither side trusts the other' },
    { id: 'oman', label: "Oman's role", description: 'The mediator' },
  ];
  const titles = { 'a.md': 'Muscat talks analysis', 'b.md': 'Sanctions brief' };
  const quoteA: Quote = { text: 'Oman has hosted indirect talks since 2021.', document: 'a.md', section: "Oman's role", start: 0, end: 43, source: 'Example Institute', published: '2026-02-09' };
  const quoteB: Quote = { text: 'Neither side believes the other will keep a deal.', document: 'b.md', section: 'Trust', start: 10, end: 59, source: 'Example Review', published: '2026-01-30' };
  const byTopic: Record<string, TopicBriefing> = {
    'trust-deficit': { topic: topics[0], quotes: [quoteB], titles },
    oman: { topic: topics[1], quotes: [quoteA], titles },
  };
  const sources: SourceInfo[] = [
    { id: 'a.md', title: 'Muscat talks analysis', source: 'Example Institute', published: '2026-02-09', sections: ["Oman's role", 'Outlook'] },
    { id: 'b.md', title: 'Sanctions brief', source: 'Example Review', published: '2026-01-30', sections: ['Trust'] },
  ];
  return {
    async ask(q: string): Promise<Answer> {
      const base = { question: q, ms: 1, mode: 'offline' as const, droppedQuotes: 0, titles, missing: [], conflict: false, concurring: 0 };
      if (!q.trim()) return { ...base, abstained: true, coverage: 'none', quotes: [], error: 'empty' };
      if (!/[a-z]/i.test(q)) return { ...base, abstained: true, coverage: 'none', quotes: [], error: 'no_words' };
      if (/peru/i.test(q)) return { ...base, abstained: true, coverage: 'none', reason: 'unknown_names', missing: ['peru'], quotes: [], suggestions: topics.map((t) => t.label) };
      return { ...base, abstained: false, coverage: 'answered', quotes: [quoteA, quoteB] };
    },
    topics: () => topics,
    topic: (id) => byTopic[id],
    sources: () => sources,
    documentHashes: () => ({ 'a.md': 'x', 'b.md': 'y' }),
    digest: async (o = {}) => ({
      date: o.date ?? '2026-03-10',
      newSince: [],
      points: [
        { topic: topics[0], quote: quoteB },
        { topic: topics[1], quote: quoteA },
      ],
      indicators: [],
      titles,
    }),
    ...overrides,
  };
}
