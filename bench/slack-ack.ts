// How fast the Slack adapter acknowledges: 200 signed requests, 20 in flight at a time, through the
// real Bolt HTTP receiver on loopback. The app runs in a child process of its own, as it would in
// production; this process plays Slack (the fake Web API the answers are posted to, and the client
// that sends signed requests), so the load generator's CPU does not count against the app's acks.
// The answers are computed and posted while the acks are measured: that is the load that matters.
//
//   npx tsx bench/slack-ack.ts [--requests 200] [--concurrency 20] [--kind both|mention|command]
//   DATABASE_URL=postgres://… npx tsx bench/slack-ack.ts   (the same with the PostgreSQL stores)
//
// The app answers from the real corpus (Briefing.open on corpus/).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '20' },
    kind: { type: 'string', default: 'both' },
    serve: { type: 'boolean', default: false },
    /** Open this many unauthenticated connections that send most of a body and stall, then measure. */
    stall: { type: 'string', default: '0' },
  },
});

const SIGNING_SECRET = 'bench-signing-secret';
/** Untimed questions a fresh app answers before the timed ones (at least one per connection). */
const WARM_UP_REQUESTS = 30;
const QUESTIONS = ['Who hosted the talks in Oman?', 'What is the trust deficit?', 'What did Washington demand on enrichment?', 'Why did Iran object to Admiral Cooper?'];

if (values.serve) await serve();
else if (Number(values.stall) > 0) await stall(Number(values.stall));
else await drive();

/** Child: the Slack adapter alone, printing its port once it listens. */
async function serve(): Promise<void> {
  const { startSlack } = await import('../adapters/slack/index.js');
  const { slackConfig } = await import('../adapters/slack/config.js');
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/log.js');
  const { openStores } = await import('../src/store/stores.js');
  const { PooledBriefing } = await import('../src/workers/answer-pool.js');
  const config = loadConfig(process.env);
  // DATABASE_URL set: the PostgreSQL stores, for comparing their acks with SQLite's.
  const stores = await openStores(config);
  // The engine as `briefbot start` runs it: questions answered in worker threads.
  const options = { corpusDir: config.corpusDir, dataDir: config.dataDir };
  const briefing = await PooledBriefing.start(options, 'warn');
  const slack = await startSlack(slackConfig(process.env)!, { config, briefing, logger: createLogger('warn'), stores });
  const cpuAtStart = process.cpuUsage();
  // How long the app's event loop was blocked: an ack can be no faster than the loop's worst stall.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  console.log(`PORT ${slack.port}`);
  // The driver's word (a line on stdin) that the timed requests start: the warm-up's stalls are not theirs.
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line !== 'RESET') return;
    loopDelay.reset();
    console.log('RESET');
  });
  process.on('SIGTERM', () => {
    // The app's own CPU (user + system) for the whole run: the cost per request, whatever the machine load.
    const used = process.cpuUsage(cpuAtStart);
    console.log(`LOOP ${(loopDelay.percentile(99) / 1e6).toFixed(1)}`);
    console.log(`LOOPMAX ${(loopDelay.max / 1e6).toFixed(1)}`);
    console.log(`CPU ${(used.user + used.system) / 1000}`);
    console.log(`MAXRSS ${process.resourceUsage().maxRSS}`);
    void slack.stop().then(() => process.exit(0));
  });
}

async function drive(): Promise<void> {
  const { FakeSlack, eventCallback, signSlackRequest, slashCommandFields } = await import('../tests/slack/fake-slack.js');
  const { Agent, request } = await import('node:http');
  const total = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const kinds = values.kind === 'both' ? (['mention', 'command'] as const) : [values.kind as 'mention' | 'command'];

  // Each fake numbers its messages from the start again, and a PostgreSQL ledger (DATABASE_URL)
  // outlives the app and the bench: channels of each run's own keep its messages from looking
  // delivered already.
  const tag = Date.now().toString(36).toUpperCase();
  let runs = 0;
  async function run(kind: 'mention' | 'command', requests: number, inFlight: number) {
    const fake = await FakeSlack.start();
    const warmChannel = `C0WARM${tag}${++runs}`;
    const benchChannel = `C0BENCH${tag}${runs}`;
    const { child, port, cpuMs, exited, loopP99, loopMax, reset } = await startApp(fake.apiUrl);
    // The requests are built and signed before the clock starts, and sent over kept-alive
    // connections with node:http: measured against a server that answers at once, fetch() (undici)
    // with signing on the way was itself ~38 ms p50 at 20 in flight on this machine, this ~8 ms.
    const signed = (body: string, contentType: string) => ({ body, headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...signSlackRequest(SIGNING_SECRET, body) } });
    const mention = (question: string, channel: string) => signed(JSON.stringify(eventCallback({ type: 'app_mention', user: 'U0BENCH', text: `<@${fake.identity.botUserId}> ${question}`, ts: fake.nextTs(), channel })), 'application/json');
    const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
    const send = (r: ReturnType<typeof signed>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers: r.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(r.body);
      });
    // A running bot is warm: the same process first answers some untimed questions, so JIT and
    // lazy loading are not charged to the timed requests. They come over the connections the timed
    // ones then reuse, as they would from Slack or a load balancer keeping its connections open:
    // opening twenty at the clock's start cost the first requests up to ~130 ms (the app accepts
    // them between its answers), more than the p99 this measures.
    const warmUps = Math.max(WARM_UP_REQUESTS, inFlight);
    const warm = Array.from({ length: warmUps }, (_, i) => mention(QUESTIONS[i % QUESTIONS.length], warmChannel));
    await Promise.all(Array.from({ length: inFlight }, async () => {
      for (let r = warm.shift(); r; r = warm.shift()) await send(r);
    }));
    await fake.until(() => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === warmChannel).length >= warmUps || undefined);
    const prepared = Array.from({ length: requests }, (_, i) => {
      const question = QUESTIONS[i % QUESTIONS.length];
      return kind === 'command' ? signed(new URLSearchParams(slashCommandFields({ text: question, response_url: fake.responseUrl() })).toString(), 'application/x-www-form-urlencoded') : mention(question, benchChannel);
    });
    await reset();
    const latencies: number[] = [];
    const statuses: Record<number, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        const r = prepared[next++];
        const start = performance.now();
        const status = await send(r);
        latencies.push(performance.now() - start);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    // This process plays Slack's side too: a stall of its own event loop shows up as ack time.
    const ownLoop = monitorEventLoopDelay({ resolution: 5 });
    ownLoop.enable();
    const started = performance.now();
    await Promise.all(Array.from({ length: inFlight }, worker));
    ownLoop.disable();
    const acksMs = performance.now() - started;
    agent.destroy();
    const answered = fake.until(() => (kind === 'mention' ? fake.callsTo('chat.postMessage').filter((c) => c.args.channel === benchChannel).length : fake.responses.length) >= requests || undefined);
    await Promise.race([answered, exited.then(() => Promise.reject(new Error('the app exited before answering everything')))]);
    const answersMs = performance.now() - started;
    child.kill('SIGTERM');
    const appCpuMs = await cpuMs;
    await exited;
    await fake.close();
    const sorted = latencies.sort((a, b) => a - b);
    const pct = (p: number) => +sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1);
    return { kind, requests, concurrency: inFlight, statuses: JSON.stringify(statuses), p50_ms: pct(50), p90_ms: pct(90), p99_ms: pct(99), max_ms: pct(100), all_acked_ms: Math.round(acksMs), all_answered_ms: Math.round(answersMs), app_cpu_ms_per_request: +(appCpuMs / requests).toFixed(2), app_loop_delay_p99_ms: loopP99(), app_loop_delay_max_ms: loopMax(), bench_loop_delay_max_ms: +(ownLoop.max / 1e6).toFixed(1) };
  }

  // Untimed warm-up: the first requests of a fresh process pay for JIT and lazy module loading.
  await run('mention', 40, 4);
  const results = [];
  for (const kind of kinds) results.push(await run(kind, total, concurrency));
  for (const kind of kinds) results.push(await run(kind, 50, 1));
  console.table(results);
  console.log(JSON.stringify({ node: process.version, cpus: (await import('node:os')).cpus().length, loadavg: (await import('node:os')).loadavg().map((l) => +l.toFixed(2)), results }));
}

async function startApp(apiUrl: string): Promise<{ child: ChildProcess; port: number; cpuMs: Promise<number>; exited: Promise<unknown>; loopP99: () => number; loopMax: () => number; reset: () => Promise<void>; maxRssMb: () => number }> {
  const self = fileURLToPath(import.meta.url);
  const tsx = path.join(path.dirname(self), '..', 'node_modules', '.bin', 'tsx');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'briefbot-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: apiUrl, SLACK_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.SLACK_APP_TOKEN;
  const child = spawn(tsx, [self, '--serve'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  // Listened for from the start: 'exit' may fire before the child's last stdout line is read.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  void exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  let reportCpu: (ms: number) => void = () => {};
  let loopP99 = Number.NaN;
  let loopMax = Number.NaN;
  let onReset = () => {};
  // Asks the app to start its loop-delay figures afresh, and waits until it has.
  const reset = () =>
    new Promise<void>((resolve) => {
      onReset = resolve;
      child.stdin!.write('RESET\n');
    });
  let maxRssKb = Number.NaN;
  const cpuMs = new Promise<number>((resolve) => (reportCpu = resolve));
  const port = await new Promise<number>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`app exited early (code ${String(code)})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^(PORT|CPU|LOOP|LOOPMAX|MAXRSS) ([\d.]+)$/.exec(line);
      if (m?.[1] === 'PORT') resolve(Number(m[2]));
      if (m?.[1] === 'LOOP') loopP99 = Number(m[2]);
      if (m?.[1] === 'LOOPMAX') loopMax = Number(m[2]);
      if (m?.[1] === 'CPU') reportCpu(Number(m[2]));
      if (m?.[1] === 'MAXRSS') maxRssKb = Number(m[2]);
      if (line === 'RESET') onReset();
    });
  });
  return { child, port, cpuMs: Promise.race([cpuMs, exited.then(() => Number.NaN)]), exited, loopP99: () => loopP99, loopMax: () => loopMax, reset, maxRssMb: () => maxRssKb / 1024 };
}

/**
 * Strangers holding memory and sockets (R2.4): `n` connections send valid-looking headers and most
 * of a body, then stall. Reported: the app's peak RSS with them and without them (a run with no
 * stalled sockets), and the ack time of one signed mention sent while they hang.
 */
async function stall(n: number): Promise<void> {
  const { FakeSlack, SlackRequester, eventCallback } = await import('../tests/slack/fake-slack.js');
  const { MAX_BODY_BYTES } = await import('../adapters/slack/http-server.js');
  const { connect } = await import('node:net');
  const once = async (stalled: number) => {
    const fake = await FakeSlack.start();
    const app = await startApp(fake.apiUrl);
    const sockets = Array.from({ length: stalled }, () => {
      const socket = connect(app.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(`POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}\r\nX-Slack-Signature: v0=${'0'.repeat(64)}\r\nContent-Length: ${MAX_BODY_BYTES}\r\n\r\n`);
      socket.write(Buffer.alloc(MAX_BODY_BYTES - 1024, 'x'));
      return socket;
    });
    await new Promise((r) => setTimeout(r, 2000));
    const requester = new SlackRequester(`http://127.0.0.1:${app.port}/slack/events`, SIGNING_SECRET);
    const t = performance.now();
    const res = await requester.event(eventCallback({ type: 'app_mention', user: 'U0BENCH', text: `<@${fake.identity.botUserId}> ${QUESTIONS[0]}`, ts: fake.nextTs(), channel: 'C0BENCH' }));
    const ackMs = performance.now() - t;
    for (const s of sockets) s.destroy();
    app.child.kill('SIGTERM');
    await app.cpuMs;
    await app.exited;
    await fake.close();
    return { stalled, status: res.status, ack_ms: +ackMs.toFixed(1), max_rss_mb: +app.maxRssMb().toFixed(0) };
  };
  const base = await once(0);
  const loaded = await once(n);
  console.table([base, loaded]);
  console.log(JSON.stringify({ stalled: n, rss_growth_mb: loaded.max_rss_mb - base.max_rss_mb, ack_ms_while_stalled: loaded.ack_ms, results: [base, loaded] }));
}
