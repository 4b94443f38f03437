// One corpus, one process: ingest from an empty DATA_DIR, answer the development questions warm,
// re-ingest after one changed file, then the naive pipeline side by side. Prints one JSON line.
//
//   node --import tsx bench/worker.ts '{"corpusDir":..,"dataDir":..,"questions":..,"rounds":5,"changeFile":..}'
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Briefing } from '../src/briefing.js';
import { LocalWordVectorEmbeddings } from '../src/index/embedder-local.js';
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
}

const args = JSON.parse(process.argv[2]) as WorkerArgs;
const questions = readFileSync(args.questions, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DevQuestion);
const inScope = questions.filter((q) => !q.abstain);
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
const indexBytes = dirBytes(path.join(args.dataDir, 'cache'));

// Warm answering: the first question after open, then `rounds` passes over every question.
t0 = performance.now();
await b.ask(questions[0].question);
const firstMs = performance.now() - t0;
const latencies: number[] = [];
let hits = 0;
let abstained = 0;
for (let r = 0; r < args.rounds; r++) {
  for (const q of questions) {
    const s = performance.now();
    const a = await b.ask(q.question);
    latencies.push(performance.now() - s);
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
  index_mb: round(indexBytes / 1e6, 2),
  first_answer_ms: round(firstMs, 1),
  p50_ms: round(percentile(latencies, 50), 2),
  p99_ms: round(percentile(latencies, 99), 2),
  max_ms: round(percentile(latencies, 100), 2),
  samples: latencies.length,
  hit: hits,
  in_scope: inScope.length,
  hit_rate: round((100 * hits) / inScope.length, 1),
  abstained,
  out_of_scope: outOfScope.length,
  reingest_ms: round(reingestMs, 0),
  reingest_embedded_docs: reingest.embedded,
  reingest_graph_cached: reingest.cached,
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
    hit_rate: round((100 * nhits) / inScope.length, 1),
    // It never abstains: every out-of-scope question gets three paragraphs.
    abstained: 0,
  };
}

process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
