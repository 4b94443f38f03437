// `npm run bench`: speed and memory from the shipped corpus to 100,000 chunks, side by side with the
// naive pipeline (LangChain MemoryVectorStore, same embeddings), plus the Slack ack latency.
// Prints tables and writes JSON to bench/results/. A script, not a test: figures depend on the machine.
//
//   npm run bench -- [--corpora shipped,wikiqa,10k,100k] [--rounds 5] [--cold-runs 7] [--no-slack] [--no-naive] [--keep]
//   npm run bench -- --ingest-only [--corpora wikiqa,5k] [--compiled]   # ingest and re-ingest alone, in a minute
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { copyShipped, readWikiQA, writeSynthetic, writeWikiQADocs } from './corpora.js';
import { median, round } from './stats.js';

const { values } = parseArgs({
  options: {
    corpora: { type: 'string', default: 'shipped,wikiqa,10k,100k' },
    rounds: { type: 'string', default: '5' },
    'cold-runs': { type: 'string', default: '7' },
    'no-slack': { type: 'boolean', default: false },
    'no-naive': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'ingest-only': { type: 'boolean', default: false },
    compiled: { type: 'boolean', default: false },
  },
});

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const QUESTIONS = path.join(SHARED, 'eval', 'questions.jsonl');
const WIKIQA = path.join(SHARED, 'benchmarks', 'wikiqa', 'WikiQA-test.tsv');
const RESULTS = path.join(ROOT, 'bench', 'results');
const COLD_QUESTION = 'Who hosted the talks in Oman?';
const WARMUP_QUESTIONS = 40;
const FALLBACK_QUESTIONS = [
  COLD_QUESTION,
  'Why does Tehran distrust Washington?',
  'What did the United States want the talks to cover?',
  'Which incidents happened before the talks?',
  'What sanctions were announced?',
  'What is the most likely outcome?',
  'Explain the trust deficit',
  "Oman's role?",
];
const notes: string[] = [];

function note(text: string): void {
  notes.push(text);
  console.log(`note: ${text}`);
}

/** The same freshness rule as bin/briefbot.js: dist/ is used only when newer than every source. */
function newestTs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const compiled = path.join(ROOT, 'dist', 'adapters', 'main.js');
  const fresh = existsSync(compiled) && Math.max(newestTs(path.join(ROOT, 'src')), newestTs(path.join(ROOT, 'adapters'))) <= statSync(compiled).mtimeMs;
  if (fresh) return;
  // `npm install` builds dist/ (the "prepare" script); a stale one would measure tsx instead.
  note('dist/ was missing or older than the sources: built it first (npm run build), as npm install does');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) note(`tsc exited with ${r.status}; dist/ was emitted anyway`);
}

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

function rusage(stderr: string): { maxRssKb: number; cpuMs: number } {
  const m = /BENCH_RUSAGE (.*)/.exec(stderr);
  if (!m) throw new Error(`no resource usage reported: ${stderr.slice(-500)}`);
  return JSON.parse(m[1]);
}

/** Fresh processes from start to first answer; the machine may be busy, so min and median. */
async function coldStarts(label: string, args: string[], runs: number, check: (stdout: string) => boolean) {
  let ok = 0;
  const walls: number[] = [];
  const cpus: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await run(['--import', './bench/rss.mjs', ...args]);
    if (r.code !== 0 || !r.stdout.trim()) throw new Error(`${label} cold start failed (exit ${r.code}): ${r.stderr.slice(-800)}`);
    if (check(r.stdout)) ok++;
    const u = rusage(r.stderr);
    walls.push(r.ms);
    cpus.push(u.cpuMs);
    rss.push(u.maxRssKb / 1024);
  }
  return { cold_min_ms: round(Math.min(...walls), 0), cold_median_ms: round(median(walls), 0), cold_cpu_median_ms: round(median(cpus), 0), peak_rss_mb: round(Math.max(...rss), 0), runs, cold_answer_hit: ok === runs };
}

interface CorpusPlan {
  name: string;
  build: (dir: string) => void;
  changeFile: string;
}

async function main(): Promise<void> {
  // The cold starts run dist/, and so does everything with --compiled; the rest runs the sources.
  if (!values['ingest-only'] || values.compiled) ensureBuilt();
  const t = performance.now();
  newestTs(path.join(ROOT, 'src'));
  newestTs(path.join(ROOT, 'adapters'));
  note(`cold starts run dist/ directly; bin/briefbot.js adds its freshness check of the sources, ${round(performance.now() - t, 1)} ms here`);
  const ingestOnly = values['ingest-only'];
  const rounds = ingestOnly ? 0 : Number(values.rounds);
  const coldRuns = Number(values['cold-runs']);
  const wanted = values.corpora.split(',').map((s) => s.trim());
  const wiki = readWikiQA(WIKIQA);
  const corpusDir = path.join(ROOT, 'corpus');
  const shippedDoc = readdirSync(corpusDir).find((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')!;
  const plans: CorpusPlan[] = [];
  if (wanted.includes('shipped')) plans.push({ name: 'shipped', build: (d) => copyShipped(corpusDir, d), changeFile: shippedDoc });
  const needWiki = wanted.filter((w) => w !== 'shipped');
  if (needWiki.length && !wiki) note(`WikiQA is absent (${WIKIQA}): skipped ${needWiki.join(', ')}, which are built from it`);
  if (wiki) {
    if (wanted.includes('wikiqa')) plans.push({ name: `wikiqa (+${wiki.length} docs)`, build: (d) => (copyShipped(corpusDir, d), writeWikiQADocs(wiki, d)), changeFile: `wikiqa/${wiki[0].id}.txt` });
    for (const w of wanted) {
      const m = /^(\d+)k$/.exec(w);
      if (!m) continue;
      const target = Number(m[1]) * 1000;
      plans.push({
        name: `synthetic ${w}`,
        // The shipped corpus' own chunks count towards the total.
        build: (d) => (copyShipped(corpusDir, d), writeSynthetic(wiki, target - shippedChunks, d)),
        changeFile: 'synthetic/synthetic-00000.md',
      });
    }
  }

  if (plans.some((p) => p.name.startsWith('synthetic'))) {
    const { loadCorpus } = await import('../src/corpus/load.js');
    const { chunkDocument } = await import('../src/index/chunk.js');
    shippedChunks = loadCorpus(corpusDir).documents.reduce((n, d) => n + chunkDocument(d).length, 0);
  }
  // Unrelated questions (WikiQA's) warm each worker up before the warm figures are taken.
  const warmup = wiki ? [...new Set(readFileSync(WIKIQA, 'utf8').split('\n').slice(1).map((l) => l.split('\t')[1]).filter(Boolean))].slice(0, WARMUP_QUESTIONS) : [];
  if (!wiki) note('without WikiQA there are no unrelated questions to warm up with: warm figures include the JIT warm-up');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'briefbot-bench-'));
  let questions = QUESTIONS;
  if (!existsSync(QUESTIONS)) {
    // Without ../shared the latency figures still come from a few questions; there is no hit rate.
    note(`the development questions are absent (${QUESTIONS}): latency over ${FALLBACK_QUESTIONS.length} built-in questions, no hit rate`);
    questions = path.join(tmp, 'questions.jsonl');
    writeFileSync(questions, FALLBACK_QUESTIONS.map((q, i) => `${JSON.stringify({ id: `b${i}`, question: q })}\n`).join(''));
  }
  const results: Record<string, unknown>[] = [];
  try {
    for (const plan of plans) {
      const slug = plan.name.replace(/\W+/g, '-');
      const cdir = path.join(tmp, `corpus-${slug}`);
      const ddir = path.join(tmp, `data-${slug}`);
      mkdirSync(ddir, { recursive: true });
      plan.build(cdir);
      const naive = !values['no-naive'] && !ingestOnly;
      console.log(`\n== ${plan.name}: ingest, ${rounds} warm rounds, re-ingest${naive ? ', naive' : ''} ==`);
      const w = await run(['--import', 'tsx', 'bench/worker.ts', JSON.stringify({ corpusDir: cdir, dataDir: ddir, questions, rounds, changeFile: plan.changeFile, naive, warmup: ingestOnly ? [] : warmup, ingestOnly, compiled: values.compiled })]);
      const line = w.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (w.code !== 0 || !line) throw new Error(`worker failed on ${plan.name} (exit ${w.code}): ${w.stderr.slice(-1500)}`);
      const r = JSON.parse(line.slice(7)) as Record<string, unknown> & { naive?: Record<string, unknown> };
      console.log(JSON.stringify(r));
      if (ingestOnly) {
        results.push({ corpus: plan.name, ...r });
        if (!values.keep) rmSync(ddir, { recursive: true, force: true });
        continue;
      }
      const cold = await coldStarts(plan.name, ['bench/cli-compiled.mjs', 'ask', '--json', COLD_QUESTION, '--corpus', cdir, '--data', ddir], coldRuns, (out) => {
        const a = JSON.parse(out) as { abstained: boolean; quotes: { text: string }[] };
        return !a.abstained && a.quotes.length > 0;
      });
      console.log(JSON.stringify(cold));
      let naiveCold: Record<string, unknown> | undefined;
      if (r.naive) {
        const runs = (r.chunks as number) > 20_000 ? 2 : Math.min(coldRuns, 5);
        naiveCold = await coldStarts(`naive ${plan.name}`, ['bench/naive.mjs', '--cold', cdir, ddir, COLD_QUESTION], runs, (out) => JSON.parse(out).top.length > 0);
        r.naive = { ...r.naive, ...naiveCold };
      }
      results.push({ corpus: plan.name, ...r, ...cold });
      if (!values.keep) rmSync(ddir, { recursive: true, force: true });
    }

    let slack: unknown;
    if (!values['no-slack'] && !ingestOnly) {
      console.log('\n== Slack ack: 200 signed requests, 20 in flight (bench/slack-ack.ts) ==');
      const s = await run(['--import', 'tsx', 'bench/slack-ack.ts', '--requests', '200', '--concurrency', '20']);
      const last = s.stdout.trim().split('\n').pop() ?? '';
      if (s.code !== 0 || !last.startsWith('{')) note(`slack-ack failed (exit ${s.code}): ${s.stderr.slice(-300)}`);
      else slack = JSON.parse(last);
      // R2.4's probes: 200 in flight, 200 stalled strangers, 40,000 whitespace characters of each kind.
      for (const [title, args] of [
        ['Slack ack: 200 signed requests, all 200 in flight', ['bench/slack-ack.ts', '--requests', '200', '--concurrency', '200', '--kind', 'mention']],
        ['200 stalled unauthenticated connections (bench/slack-ack.ts --stall)', ['bench/slack-ack.ts', '--stall', '200']],
        ['40,000 whitespace characters of each kind (bench/whitespace.ts)', ['bench/whitespace.ts']],
      ] as const) {
        console.log(`\n== ${title} ==`);
        const p = await run(['--import', 'tsx', ...args]);
        const out = p.stdout.trim().split('\n').pop() ?? '';
        if (p.code !== 0 || !out.startsWith('{')) note(`${args[0]} failed (exit ${p.code}): ${p.stderr.slice(-300)}`);
        else console.log(out);
      }
    }

    report(results, slack);
  } finally {
    if (!values.keep) rmSync(tmp, { recursive: true, force: true });
    else note(`kept corpora and indexes in ${tmp}`);
  }
}

/** Chunks of the shipped corpus, so "synthetic 10k" means about 10,000 chunks in all. */
let shippedChunks = 0;

function report(results: Record<string, unknown>[], slack: unknown): void {
  const t = (r: Record<string, unknown>) => ({
    corpus: r.corpus,
    docs: r.documents,
    chunks: r.chunks,
    'ingest s': round((r.ingest_ms as number) / 1000, 2),
    'ingest cpu s': round((r.ingest_cpu_ms as number) / 1000, 2),
    'chunks/s': r.chunks_per_s,
    'thread docs': r.ingest_thread_docs,
    'index MB': r.index_mb,
    'cold min/med ms': `${r.cold_min_ms}/${r.cold_median_ms}`,
    'cold cpu ms': r.cold_cpu_median_ms,
    'peak RSS MB': r.peak_rss_mb,
    'first ms': r.first_answer_ms,
    'p50 ms': r.p50_ms,
    'p99 ms': r.p99_ms,
    'new-q p99 ms': r.first_pass_p99_ms,
    'jit-cold p99 ms': r.jit_cold_p99_ms,
    'hit %': r.hit_rate,
    abstain: `${r.abstained}/${r.out_of_scope}`,
    'reingest ms': r.reingest_ms,
    're-read': r.reingest_read_docs,
    're-parsed': r.reingest_parsed_docs,
    're-embedded': r.reingest_embedded_docs,
    'graph +vectors': `${r.reingest_graph} +${r.reingest_graph_added}`,
  });
  console.log('\nbriefbot (offline)');
  const ingestColumns = ['corpus', 'docs', 'chunks', 'ingest s', 'ingest cpu s', 'chunks/s', 'thread docs', 'index MB', 'reingest ms', 're-read', 're-parsed', 're-embedded', 'graph +vectors'];
  console.table(results.map(t).map((row) => (values['ingest-only'] ? Object.fromEntries(ingestColumns.map((k) => [k, row[k as keyof typeof row]])) : row)));
  const naive = results.filter((r) => r.naive).map((r) => {
    const n = r.naive as Record<string, number>;
    return {
      corpus: r.corpus,
      chunks: n.chunks,
      'ingest s': round(n.ingest_ms / 1000, 2),
      'cold min/med ms': `${n.cold_min_ms}/${n.cold_median_ms}`,
      'peak RSS MB': n.peak_rss_mb,
      'p50 ms': n.p50_ms,
      'p99 ms': n.p99_ms,
      'hit % (top-3 paragraphs)': n.hit_rate,
      'p99 naive/briefbot': round(n.p99_ms / (r.p99_ms as number), 1),
      'cold naive/briefbot': round(n.cold_median_ms / (r.cold_median_ms as number), 1),
      'ingest naive/briefbot': round(n.ingest_ms / (r.ingest_ms as number), 2),
    };
  });
  if (naive.length) {
    console.log(`\nnaive pipeline: ${(results.find((r) => r.naive)!.naive as { impl: string }).impl}, same embeddings, top 3 paragraphs, no abstention, no index on disk`);
    console.table(naive);
  }
  const s = slack as { results?: Record<string, unknown>[] } | undefined;
  if (s?.results) {
    console.log('\nSlack ack latency (loopback, signed requests)');
    console.table(s.results.map((x) => ({ kind: x.kind, requests: x.requests, concurrency: x.concurrency, 'p50 ms': x.p50_ms, 'p99 ms': x.p99_ms, statuses: x.statuses })));
  }
  const out = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((l) => round(l, 2)),
    notes,
    results,
    slack,
  };
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `bench-${out.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nload average ${out.loadavg.join(' ')} on ${out.cpus} CPUs; JSON in ${path.relative(ROOT, file)}`);
  for (const n of notes) console.log(`note: ${n}`);
}

await main();
