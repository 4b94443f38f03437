// The Events API receiver (adapters/slack/receiver.ts) under a real Bolt App: an event is
// acknowledged before Bolt's middleware runs, with its retry headers passed through; a command's ack
// carries what the listener gave it; a failure inside Bolt's dispatch is a 500, and the server goes on.
import { App } from '@slack/bolt';
import { afterEach, describe, expect, test } from 'vitest';
import { SlackEventsReceiver } from '../../adapters/slack/receiver.js';
import { createLogger } from '../../src/log.js';
import { eventCallback, FakeSlack, SlackRequester, slashCommandFields } from './fake-slack.js';

const SECRET = 'receiver-test-secret';

describe('SlackEventsReceiver', () => {
  let stop: () => Promise<void> = async () => undefined;
  afterEach(async () => stop());

  async function start(setUp: (app: App) => void) {
    const fake = await FakeSlack.start();
    const receiver = new SlackEventsReceiver({ signingSecret: SECRET, logger: createLogger('silent') });
    const app = new App({ token: 'xoxb-test', botId: fake.identity.botId, botUserId: fake.identity.botUserId, receiver, clientOptions: { slackApiUrl: fake.apiUrl } });
    setUp(app);
    const port = await receiver.start(0);
    stop = async () => {
      await app.stop();
      await fake.close();
    };
    return { fake, requester: new SlackRequester(`http://127.0.0.1:${port}/slack/events`, SECRET) };
  }

  test('an event gets its 200 before Bolt dispatches it, then reaches the listener with its retry headers', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const seen: Array<{ text: string; retryNum?: number }> = [];
    let heard: () => void = () => undefined;
    const reached = new Promise<void>((r) => (heard = r));
    const { fake, requester } = await start((app) => {
      app.use(async ({ next }) => {
        await gate;
        await next();
      });
      app.event('app_mention', async ({ event, context }) => {
        seen.push({ text: event.text, retryNum: context.retryNum });
        heard();
      });
    });
    const res = await requester.event(eventCallback({ type: 'app_mention', user: 'U0A', text: 'hello', ts: fake.nextTs(), channel: 'C0R' }), { retryNum: 1 });
    expect(res.status).toBe(200);
    expect(seen).toEqual([]);
    release();
    await reached;
    expect(seen).toEqual([{ text: 'hello', retryNum: 1 }]);
  });

  test("a command's ack carries the listener's reply; url_verification and ssl_check are answered by the receiver", async () => {
    const { requester } = await start((app) => {
      app.command('/brief', async ({ ack }) => ack({ response_type: 'ephemeral', text: 'on it' }));
    });
    const res = await requester.command(slashCommandFields({ text: 'x' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ response_type: 'ephemeral', text: 'on it' });
    const challenge = await requester.event({ type: 'url_verification', challenge: 'c-123', token: 't' });
    expect(JSON.parse(challenge.body)).toEqual({ challenge: 'c-123' });
    expect((await requester.command({ ssl_check: '1', token: 't' })).status).toBe(200);
  });

  test("a failure in Bolt's dispatch of a command is a 500, and the next request is served", async () => {
    const { requester } = await start((app) => {
      app.use(async ({ body, next }) => {
        if ((body as { text?: string }).text === 'boom') throw new Error('middleware failed');
        await next();
      });
      app.command('/brief', async ({ ack }) => ack());
      app.error(async (err) => {
        throw err;
      });
    });
    expect((await requester.command(slashCommandFields({ text: 'boom' }))).status).toBe(500);
    expect((await requester.command(slashCommandFields({ text: 'fine' }))).status).toBe(200);
  });
});
