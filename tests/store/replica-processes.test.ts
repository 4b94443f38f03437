// Three replica processes on one PostgreSQL (R2.6): the real `briefbot start` in Slack HTTP mode,
// three times, each with its own DATA_DIR and port, sharing DATABASE_URL and the loopback Web API.
// 200 mentions, each delivered to two of the replicas at once (as a load balancer retrying, or
// Slack redelivering to another replica, would): exactly 200 answers, one per event.
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, tempDir } from '../core/helpers.js';
import { startBriefbot } from '../slack/briefbot-process.js';
import { eventCallback, FakeSlack, SlackRequester } from '../slack/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.js';
import { postgresServer } from './backends.js';
import { postgresBinOrSkip } from './postgres-server.js';

const bin = postgresBinOrSkip('the replica process test (tests/store/replica-processes.test.ts)');
const EVENTS = 200;
const QUESTIONS = ['Who hosted the talks in Oman?', 'What is the trust deficit?', 'What tariff did Trump impose?', 'Why is Oman trusted as a mediator?'];

describe.skipIf(!bin)('three briefbot processes on one PostgreSQL', () => {
  const server = postgresServer(bin ?? '');
  let slack: FakeSlack;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    slack = await FakeSlack.start();
  });
  afterAll(async () => {
    await Promise.all(
      children.map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await exited;
      }),
    );
    await slack?.close();
  });

  async function replica(databaseUrl: string): Promise<SlackRequester> {
    const { port } = await startBriefbot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, CORPUS_DIR: CORPUS, DATA_DIR: tempDir('replica'), DATABASE_URL: databaseUrl }, children);
    return new SlackRequester(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
  }

  it('200 events, each delivered to two replicas: exactly 200 answers', async () => {
    const url = await server.current().createDatabase('replicas');
    // Started together: the migration lock lets all three bring the schema up at once (tests/store/replicas.test.ts).
    const replicas = await Promise.all([replica(url), replica(url), replica(url)]);
    const events = Array.from({ length: EVENTS }, (_, i) => eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${slack.identity.botUserId}> ${QUESTIONS[i % QUESTIONS.length]}`, ts: slack.nextTs(), channel: 'C0REPLICAS' }, { eventId: `EvREPLICA${i}` }));
    const statuses = await Promise.all(events.flatMap((e, i) => [replicas[i % 3].event(e), replicas[(i + 1) % 3].event(e)]).map((p) => p.then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    // A claim becomes done only after its answer is delivered: once all 200 are done, every post that will ever be made has been.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      for (let tries = 0; ; tries++) {
        const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE id LIKE 'EvREPLICA%' AND state = 'done'");
        if (rows[0].n === EVENTS) break;
        expect(tries).toBeLessThan(1200);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await db.end();
    }
    const posts = slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0REPLICAS');
    expect(posts).toHaveLength(EVENTS);
    expect(new Set(posts.map((p) => p.args.thread_ts)).size).toBe(EVENTS);
  }, 180_000);
});
