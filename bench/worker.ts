// One corpus, one process: ingest from an empty DATA_DIR, answer the development questions warm,
// re-ingest after one changed file, then the naive pipeline side by side. Prints one JSON line.
//
//   node --import tsx bench/worker.ts '{"corpusDir":..,"dataDir":..,"questions":..,"rounds":5,"changeFile":..}'
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildNaive, naiveAnswer } from './naive.mjs';
import { dirBytes, isHit, percentile, round, type DevQuestion } from './stats.js';

interface WorkerArgs {
  corpusDir: string;
  dataDir: string;
  questions: string;
  rounds: number;
  /** Document (relative to corpusDir) to change for the re-ingest figure. */
  changeFile: string;
  naive: boolean;
  /** Questions unrelated to the corpus that warm the process up (untimed). */
  warmup: string[];
  /** Only the ingest and re-ingest figures (run.ts --ingest-only). */
  ingestOnly?: boolean;
  /** The engine from dist/ (run.ts --compiled), as `briefbot` runs it, rather than the sources through tsx. */
  compiled?: boolean;
}

const args = JSON.parse(process.argv[2]) as WorkerArgs;
// Both from one tree: the word vectors loaded below are the engine's only if its module loads them.
const tree = args.compiled ? '../dist/src' : '../src';
const { Briefing } = (await import(`${tree}/briefing.js`)) as typeof import('../src/briefing.js');
const { LocalWordVectorEmbeddings } = (await import(`${tree}/index/embedder-local.js`)) as typeof import('../src/index/embedder-local.js');
const questions = readFileSync(args.questions, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DevQuestion);
// Questions without expected phrases (the built-in ones used without ../shared) have no hit rate.
const inScope = questions.filter((q) => !q.abstain && q.expect_any?.length);
const rate = (n: number) => (inScope.length ? round((100 * n) / inScope.length, 1) : null);
const outOfScope = questions.filter((q) => q.abstain);

// The word vectors are converted once per machine; load them first so ingest measures the corpus.
LocalWordVectorEmbeddings.load(args.dataDir);

// Ingest: everything from an empty DATA_DIR (parse, chunk, embed, BM25, HNSW, save).
const cpu0 = process.cpuUsage();
let t0 = performance.now();
let b = await Briefing.open({ corpusDir: args.corpusDir, dataDir: args.dataDir });
const ingestMs = performance.now() - t0;
const ingestCpu = process.cpuUsage(cpu0);
const chunks = b.index.stats.chunks;
const ingestStats = { ...b.index.stats };
const indexBytes = dirBytes(path.join(args.dataDir, 'cache'));

// Warm answering: the first question after open, then `rounds` passes over every question.
t0 = performance.now();
await b.ask(questions[0].question);
const firstMs = performance.now() - t0;
// A process that has just started runs the scorer unoptimised: the first few dozen answers cost
// several times more CPU until V8 compiles the hot loops. That is measured on its own (jit_cold),
// on the development questions; then unrelated questions (WikiQA's) warm the process up, and the
// development questions are asked again as the warm figures: round 0 meets sentences it has not
// prepared for these questions, later rounds repeat them.
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const jitCold: number[] = [];
if (!args.ingestOnly) {
  // Warmed as serving processes are (start, chat, ask --jsonl open with warmUp).
  const fresh = await Briefing.open({ corpusDir: args.corpusDir, dataDir: args.dataDir, warmUp: true });
  for (const q of questions) {
    const s = performance.now();
    await fresh.ask(q.question);
    jitCold.push(performance.now() - s);
  }
}
for (const q of args.warmup) await b.ask(q);
const latencies: number[] = [];
const cpu: number[] = [];
const firstPass: number[] = [];
let hits = 0;
let abstained = 0;
for (let r = 0; r < args.rounds; r++) {
  for (const q of questions) {
    const c = process.cpuUsage();
    const s = performance.now();
    const a = await b.ask(q.question);
    latencies.push(performance.now() - s);
    cpu.push(cpuMs(process.cpuUsage(c)));
    if (r === 0) firstPass.push(latencies[latencies.length - 1]);
    if (r === 0) {
      if (isHit(q, a.abstained, a.quotes.map((x) => x.text))) hits++;
      if (q.abstain && a.abstained) abstained++;
    }
  }
}

// Re-ingest after one file changes: a paragraph appended to it.
appendFileSync(path.join(args.corpusDir, args.changeFile), '\n\nA paragraph added for the benchmark changes this file and nothing else.\n');
t0 = performance.now();
b = await Briefing.open({ corpusDir: args.corpusDir, dataDir: args.dataDir });
const reingestMs = performance.now() - t0;
const reingest = { ...b.index.stats };

const result: Record<string, unknown> = {
  documents: b.index.stats.documents,
  chunks,
  ingest_ms: round(ingestMs, 0),
  ingest_cpu_ms: round((ingestCpu.user + ingestCpu.system) / 1000, 0),
  chunks_per_s: round(chunks / (ingestMs / 1000), 0),
  // Documents the ingest threads parsed (the rest the main thread did): src/index/ingest-pool.ts.
  ingest_thread_docs: ingestStats.parsedInThreads,
  index_mb: round(indexBytes / 1e6, 2),
  first_answer_ms: round(firstMs, 1),
  p50_ms: round(percentile(latencies, 50), 2),
  p99_ms: round(percentile(latencies, 99), 2),
  max_ms: round(percentile(latencies, 100), 2),
  first_pass_p50_ms: round(percentile(firstPass, 50), 2),
  first_pass_p99_ms: round(percentile(firstPass, 99), 2),
  cpu_p50_ms: round(percentile(cpu, 50), 2),
  cpu_p99_ms: round(percentile(cpu, 99), 2),
  jit_cold_p50_ms: round(percentile(jitCold, 50), 2),
  jit_cold_p99_ms: round(percentile(jitCold, 99), 2),
  warmup_questions: args.warmup.length,
  samples: latencies.length,
  hit: hits,
  in_scope: inScope.length,
  hit_rate: rate(hits),
  abstained,
  out_of_scope: outOfScope.length,
  reingest_ms: round(reingestMs, 0),
  reingest_embedded_docs: reingest.embedded,
  // Files read and hashed again (src/index/file-manifest.ts): those whose size or time changed.
  reingest_read_docs: reingest.read,
  reingest_parsed_docs: reingest.parsed,
  reingest_graph: reingest.graph,
  reingest_graph_added: reingest.graphAdded,
  worker_peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 0),
};

if (args.naive) {
  const embeddings = LocalWordVectorEmbeddings.load(args.dataDir);
  const naive = await buildNaive(args.corpusDir, embeddings);
  await naiveAnswer(naive.store, questions[0].question);
  const nl: number[] = [];
  let nhits = 0;
  for (let r = 0; r < args.rounds; r++) {
    for (const q of questions) {
      const s = performance.now();
      const top = await naiveAnswer(naive.store, q.question);
      nl.push(performance.now() - s);
      if (r === 0 && isHit(q, false, top)) nhits++;
    }
  }
  result.naive = {
    impl: naive.impl,
    chunks: naive.chunks,
    ingest_ms: round(naive.ms, 0),
    chunks_per_s: round(naive.chunks / (naive.ms / 1000), 0),
    p50_ms: round(percentile(nl, 50), 2),
    p99_ms: round(percentile(nl, 99), 2),
    hit: nhits,
    hit_rate: rate(nhits),
    // It never abstains: every out-of-scope question gets three paragraphs.
    abstained: 0,
  };
}

process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
