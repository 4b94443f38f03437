// kill -9 during an answer, then a restart and Slack's redelivery: answered exactly once, in the
// placeholder the killed process left (R2.4). The real `briefbot start` in Slack HTTP mode, twice,
// against the loopback Web API; the first run waits on a model that never answers, so it is killed
// mid-answer for certain.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../llm/fake-openai.js';
import { STATE_FILE } from '../../src/store/db.js';
import { CORPUS, tempDir } from '../core/helpers.js';
import { startBriefbot } from './briefbot-process.js';
import { eventCallback, FakeSlack, SlackRequester } from './fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from './harness.js';

let slack: FakeSlack;
let model: FakeOpenAI;
beforeAll(async () => {
  slack = await FakeSlack.start();
  model = await startFakeOpenAI();
});
/** Every process started here, stopped at the end whatever happened to the test. */
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await slack?.close();
  await model?.close();
});

/** `briefbot start` with Slack over HTTP; resolves once it listens, with its port. */
function start(dataDir: string, extra: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  return startBriefbot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, CORPUS_DIR: CORPUS, DATA_DIR: dataDir, ...extra }, children);
}

test('killed mid-answer, restarted, redelivered: one placeholder, one answer in it, no second reply', async () => {
  const dataDir = tempDir('kill9');
  const event = eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${slack.identity.botUserId}> Who hosted the talks in Oman?`, ts: slack.nextTs(), channel: 'C0KILL9' }, { eventId: 'EvKILL9' });
  model.reply({ until: model.hang() });
  const first = await start(dataDir, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: model.baseURL, OPENAI_MODEL: 'gpt-4o-mini', OPENAI_TIMEOUT_MS: '120000' });
  expect((await new SlackRequester(`http://127.0.0.1:${first.port}/slack/events`, SIGNING_SECRET).event(event)).status).toBe(200);
  const placeholder = await slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0KILL9');
  expect(placeholder.args.text).toMatch(/Looking through the sources/);
  // Killed once the placeholder is on record: the app writes it when Slack has answered the post.
  const ledger = new Database(path.join(dataDir, STATE_FILE), { readonly: true });
  const recorded = () => (ledger.prepare("SELECT placeholder FROM deliveries WHERE id = 'EvKILL9'").get() as { placeholder: string | null } | undefined)?.placeholder;
  while (!recorded()) await new Promise((r) => setTimeout(r, 20));
  ledger.close();
  const killed = new Promise((r) => first.child.once('exit', r));
  first.child.kill('SIGKILL');
  await killed;

  const second = await start(dataDir);
  try {
    const requester = new SlackRequester(`http://127.0.0.1:${second.port}/slack/events`, SIGNING_SECRET);
    expect((await requester.event(event, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    const edit = await slack.waitForCall('chat.update', (c) => c.args.channel === 'C0KILL9');
    expect(edit.args.ts).toBe((placeholder.response as { ts: string }).ts);
    expect(edit.args.text).toMatch(/Oman|Muscat/);
    // Once answered, a further redelivery is a duplicate: still one post and one edit.
    expect((await requester.event(event, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);
    await requester.event(eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${slack.identity.botUserId}> What tariff did Trump impose?`, ts: slack.nextTs(), channel: 'C0AFTER' }));
    await slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0AFTER');
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0KILL9')).toHaveLength(1);
    expect(slack.callsTo('chat.update').filter((c) => c.args.channel === 'C0KILL9')).toHaveLength(1);
  } finally {
    const stopped = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await stopped;
  }
}, 120_000);
