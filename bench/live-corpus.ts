// A corpus that changes under a running bot (R2.5): how long until a new analysis is answerable,
// and what answering costs meanwhile. The engine runs as `briefbot start` runs it (worker threads,
// the corpus watcher reloading them); this script keeps asking questions (--in-flight, default 1) while it
// drops a file into the folder (as a person or a feed would) and while an editor's add goes
// through the desk from a loopback page. Fixed counts, loopback only.
//
//   npx tsx bench/live-corpus.ts [--rounds 3] [--in-flight 1]
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { watchCorpus } from '../src/corpus/watch.js';
import { CorpusDesk } from '../src/sources/desk.js';
import { Library } from '../src/sources/library.js';
import { openDatabase } from '../src/store/db.js';
import { SqliteFeedStore } from '../src/store/feeds.js';
import { PooledBriefing } from '../src/workers/answer-pool.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, 'in-flight': { type: 'string', default: '1' } } });
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUESTIONS = ['Who hosted the talks in Oman?', 'What is the trust deficit?', 'What did Washington demand on enrichment?', 'Why did Iran object to Admiral Cooper?'];
/** Questions kept going at once; above the answer threads' count, latency includes their own queueing. */
const IN_FLIGHT = Number(values['in-flight']);

function analysis(n: number): string {
  return `---\ntitle: "Harbour watch ${n}: tankers at Jask"\nsource: Bench Gulf Monitor\npublished: 2026-04-${String(10 + n).padStart(2, '0')}\n---\n\n## The count\n\nObservers at Jask counted ${40 + n} laden tankers waiting offshore in the week after round ${n} of the talks.\n\nPort officials blamed inspections of outbound cargo for the queue.\n`;
}
const asked = (n: number) => `How many laden tankers did observers count at Jask after round ${n}?`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN).toFixed(1);
};

const corpusDir = mkdtempSync(path.join(tmpdir(), 'briefbot-live-corpus-'));
cpSync(path.join(ROOT, 'corpus'), corpusDir, { recursive: true });
const dataDir = mkdtempSync(path.join(tmpdir(), 'briefbot-live-data-'));
const pooled = await PooledBriefing.start({ corpusDir, dataDir }, 'warn');
/** When each reload that changed something took over: answers just after one come from a fresh generation. */
const swaps: number[] = [];
const reload = () => pooled.reload().then((r) => (r.changed && swaps.push(performance.now()), r));
const watcher = watchCorpus(corpusDir, () => void reload().catch((e) => console.error('reload failed', e)));
await watcher.ready;
const desk = new CorpusDesk({ library: new Library({ corpusDir, allowPrivate: true }), feeds: new SqliteFeedStore(openDatabase(':memory:')), allowPrivate: true, refresh: reload });
const pages = createServer((req, res) => {
  const n = Number(/\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
  const body = `<html><head><title>Harbour watch ${n}</title><meta property="og:site_name" content="Bench Gulf Monitor"></head><body><nav>Home | World | Markets</nav><article><h1>Harbour watch ${n}: tankers at Jask</h1><p>Observers at Jask counted ${40 + n} laden tankers waiting offshore in the week after round ${n} of the talks, according to port officials who spoke on condition of anonymity.</p><p>Port officials blamed inspections of outbound cargo for the queue, which stretched for several nautical miles by Thursday evening.</p><p>Shipping agents said the delays added two days to a typical loading schedule and raised charter costs for smaller operators.</p></article><aside>Advertisement</aside></body></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
});
pages.listen(0, '127.0.0.1');
await new Promise((r) => pages.once('listening', r));
const pageUrl = (n: number) => `http://127.0.0.1:${(pages.address() as AddressInfo).port}/watch/${n}`;

/** Every timed answer: when it ended and how long it took. */
const answers: { at: number; ms: number; engine: number }[] = [];

/** Keeps IN_FLIGHT questions going until `stop` resolves; returns every answer's latency. */
async function keepAsking(stop: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void stop.then(() => (done = true));
  let i = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (!done) {
        const t = performance.now();
        const a = await pooled.ask(QUESTIONS[i++ % QUESTIONS.length]);
        latencies.push(performance.now() - t);
        answers.push({ at: performance.now(), ms: performance.now() - t, engine: a.ms });
      }
    }),
  );
  return latencies;
}

/** Resolves with the ms from `since` until question n is answered from its document. */
async function answerable(n: number, since: number): Promise<number> {
  for (;;) {
    const a = await pooled.ask(asked(n));
    if (a.quotes.some((q) => q.text.includes(`${40 + n} laden tankers`))) return performance.now() - since;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const quiet = await keepAsking(new Promise((r) => setTimeout(r, 3000)));
const rows = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  // A file dropped into the folder: the watcher notices, the next generation builds, then takes over.
  mkdirSync(path.join(corpusDir, 'dropped'), { recursive: true });
  const dropped = performance.now();
  writeFileSync(path.join(corpusDir, 'dropped', `watch-${round}.md`), analysis(round));
  const dropMs = answerable(round, dropped);
  const duringDrop = await keepAsking(dropMs);
  // An editor's add from a link: fetched, extracted, written, re-indexed; `add` resolves once it is answerable.
  const n = 100 + round;
  const t = performance.now();
  const add = desk.add({ url: pageUrl(n), by: 'bench' });
  const duringAdd = await keepAsking(add);
  const addMs = performance.now() - t;
  const live = await add;
  rows.push({
    round,
    drop_answerable_ms: Math.round(await dropMs),
    add_answerable_ms: Math.round(addMs),
    add_live: live.kind === 'added' && live.live,
    answers_during: duringDrop.length + duringAdd.length,
    during_p50_ms: pct([...duringDrop, ...duringAdd], 50),
    during_p99_ms: pct([...duringDrop, ...duringAdd], 99),
  });
}
// Where the slow answers fall: in the first second of a fresh generation (its code not yet
// compiled by V8), or while the next one builds beside it (the cores shared).
const afterSwap = answers.filter((a) => swaps.some((s) => a.at >= s && a.at - a.ms < s + 1000)).map((a) => a.ms);
const building = answers.filter((a) => !swaps.some((s) => a.at >= s && a.at - a.ms < s + 1000)).slice(quiet.length).map((a) => a.ms);
console.log('slowest answers in the first second of a new generation (ms in all / in the engine @ ms after it took over):', answers.filter((a) => swaps.some((s) => a.at >= s && a.at - a.ms < s + 1000)).sort((x, y) => y.ms - x.ms).slice(0, 10).map((a) => `${a.ms.toFixed(0)}/${a.engine.toFixed(0)} @${(Math.min(...swaps.filter((s) => a.at >= s).map((s) => a.at - a.ms - s))).toFixed(0)}`).join(' '));
console.table([
  { phase: 'no re-index', answers: quiet.length, p50_ms: pct(quiet, 50), p99_ms: pct(quiet, 99) },
  { phase: 'first second of a new generation', answers: afterSwap.length, p50_ms: pct(afterSwap, 50), p99_ms: pct(afterSwap, 99) },
  { phase: 'the rest of the re-index rounds', answers: building.length, p50_ms: pct(building, 50), p99_ms: pct(building, 99) },
]);
console.table(rows);
console.log(JSON.stringify({ quiet: { answers: quiet.length, p50_ms: pct(quiet, 50), p99_ms: pct(quiet, 99) }, rounds: rows, worst_answerable_ms: Math.max(...rows.flatMap((r) => [r.drop_answerable_ms, r.add_answerable_ms])), worst_during_p99_ms: Math.max(...rows.map((r) => r.during_p99_ms)) }));
await watcher.close();
pages.close();
await pooled.close();
for (const dir of [corpusDir, dataDir]) rmSync(dir, { recursive: true, force: true });
