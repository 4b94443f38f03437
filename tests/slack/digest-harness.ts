// Digests end to end on Slack: the REAL Briefing on a temp copy of corpus/, a temp DATA_DIR, real
// Bolt (HTTP receiver) and @slack/web-api talking to the loopback FakeSlack, and a DigestScheduler
// on a fake clock wired the way `briefbot start` wires it (the adapter's poster bound after it
// starts). Tests drive it with signed `/brief` commands and `scheduler.tick(now)`: nothing waits
// on real time.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { slackConfig, type SlackConfig } from '../../adapters/slack/config.js';
import { startSlack, type RunningSlack } from '../../adapters/slack/index.js';
import { DIGEST_EVENT_TYPE } from '../../adapters/slack/render.js';
import { Briefing } from '../../src/briefing.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DigestPoster } from '../../src/digest/poster.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { openStores, type Stores } from '../../src/store/stores.js';
import { FakeClock, fakeSleep } from '../digest/helpers.js';
import { CORPUS_DIR } from './briefing.js';
import { FakeSlack, SlackRequester, slashCommandFields, type ResponseUrlPost, type WebApiCall } from './fake-slack.js';
import { BOT_TOKEN, captureLogger, SIGNING_SECRET, type CapturedLog } from './harness.js';

export interface CommandResult {
  /** What the app sent to the command's response_url (ephemeral replies), if anything. */
  responses(): ResponseUrlPost[];
  /** chat.postMessage calls the command caused in its channel (announcements). */
  posts(): WebApiCall[];
}

export interface SlackDigestHarness {
  fake: FakeSlack;
  clock: FakeClock;
  log: CapturedLog;
  config: Config;
  /** The Slack settings the bot runs with (token, API URL). */
  slackConfig: SlackConfig;
  stores: Stores;
  corpusDir: string;
  readonly briefing: Briefing;
  readonly scheduler: DigestScheduler;
  readonly slack: RunningSlack;
  /**
   * Sends a signed `/brief TEXT` in `channelId` and resolves once the app has answered it
   * (`expect`: a response_url reply, a chat.postMessage in the channel, or either).
   */
  brief(text: string, channelId: string, expect?: 'reply' | 'post'): Promise<CommandResult>;
  /** chat.postMessage calls carrying the digest marker, to `channelId` (all of them, answered or not). */
  digestPosts(channelId: string): WebApiCall[];
  /** Stops the bot and starts it again on the same data: a fresh Briefing on the (maybe changed) corpus, scheduler and app. */
  restart(): Promise<void>;
  /** The corpus file a quote's `document` id names, as read. */
  documentText(id: string): string;
  stop(): Promise<void>;
}

export const isDigestCall = (c: WebApiCall) => c.args.metadata?.event_type === DIGEST_EVENT_TYPE;

export async function startSlackDigestHarness(startIso: string): Promise<SlackDigestHarness> {
  const root = mkdtempSync(path.join(tmpdir(), 'briefbot-slack-digest-'));
  const corpusDir = path.join(root, 'corpus');
  const dataDir = path.join(root, 'data');
  cpSync(CORPUS_DIR, corpusDir, { recursive: true });
  const fake = await FakeSlack.start();
  const clock = new FakeClock(startIso);
  const log = captureLogger();
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_PORT: '0',
    DATA_DIR: dataDir,
    CORPUS_DIR: corpusDir,
    DIGEST_TIME: '07:30',
    DIGEST_TZ: 'Europe/London',
  };
  const config = loadConfig(env);
  const slackSettings = slackConfig(env)!;
  const stores = await openStores(config, { subscriptions: { defaults: config.digest, now: clock.now } });

  let briefing: Briefing;
  let scheduler: DigestScheduler;
  let slack: RunningSlack;
  let requester: SlackRequester;

  async function boot(): Promise<void> {
    briefing = await Briefing.open({ corpusDir, dataDir });
    // As in adapters/main.ts: the scheduler exists before the adapter, the poster after it.
    let target: DigestPoster | undefined;
    const late: DigestPoster = {
      platform: 'slack',
      post: (channelId, digest) => {
        if (!target) throw new Error('slack is not running');
        return target.post(channelId, digest);
      },
    };
    scheduler = new DigestScheduler({ stores, producer: briefing, posters: [late], logger: log.logger, now: clock.now, sleep: fakeSleep(clock) });
    slack = await startSlack(slackSettings, { config, briefing, logger: log.logger, stores, scheduler });
    target = slack.poster;
    requester = new SlackRequester(`http://127.0.0.1:${slack.port}/slack/events`, SIGNING_SECRET);
  }
  await boot();

  const h: SlackDigestHarness = {
    fake,
    clock,
    log,
    config,
    slackConfig: slackSettings,
    stores,
    corpusDir,
    get briefing() {
      return briefing;
    },
    get scheduler() {
      return scheduler;
    },
    get slack() {
      return slack;
    },
    async brief(text, channelId, expect) {
      const url = fake.responseUrl();
      const id = url.split('/').pop()!;
      const postsBefore = fake.callsTo('chat.postMessage').length;
      const finished = (l: Record<string, any>) => ['slack: /brief subcommand done', 'slack: /brief answered', 'slack: /brief failed'].includes(l.msg);
      const doneBefore = log.lines.filter(finished).length;
      const ack = await requester.command(slashCommandFields({ text, channel_id: channelId, response_url: url }));
      if (ack.status !== 200) throw new Error(`command not acknowledged: ${ack.status} ${ack.body}`);
      const result: CommandResult = {
        responses: () => fake.responses.filter((r) => r.id === id),
        posts: () => fake.callsTo('chat.postMessage').slice(postsBefore).filter((c) => c.args.channel === channelId && !isDigestCall(c)),
      };
      if (expect === 'reply') await fake.until(() => result.responses()[0]);
      else if (expect === 'post') await fake.until(() => result.posts()[0]);
      // Either way, wait for the handler to finish, so nothing is still on its way after this.
      await log.waitFor(finished, doneBefore + 1);
      return result;
    },
    digestPosts: (channelId) => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channelId && isDigestCall(c)),
    async restart() {
      await scheduler.stop();
      await slack.stop();
      await boot();
    },
    documentText: (id) => readFileSync(path.join(corpusDir, id), 'utf8'),
    async stop() {
      await scheduler.stop();
      await slack.stop();
      await fake.close();
      await stores.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return h;
}

/** mrkdwn -> the text it shows: block-quote markers and Slack's three entities undone. */
export function unescapeQuote(mrkdwn: string): string {
  return mrkdwn
    .replace(/^> /gm, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
