// Shared by the core tests: temp folders, a temp copy of the real corpus, a capturing logger, the
// quote invariants every answer must keep, and the `briefbot` command run as a child process.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Logger } from '../../src/log.js';
import type { Answer } from '../../src/types.js';
import { answerText, CONSOLE_DIALECT } from '../../adapters/console/layout.js';
import { answerLead } from '../../adapters/shared/card.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CORPUS = path.join(ROOT, 'corpus');
export const BIN = path.join(ROOT, 'bin', 'briefbot.js');
export const CORPUS_DOC = '2026-02-09-muscat-talks.md';
export const CORPUS_TITLE = 'Muscat Talks: A Fragile Opening in US–Iran Nuclear Diplomacy';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `briefbot-core-${prefix}-`));
}

/** A temp copy of corpus/ for tests that change it. */
export function copyCorpus(): string {
  const dir = tempDir('corpus');
  cpSync(CORPUS, dir, { recursive: true });
  return dir;
}

/** A corpus folder holding exactly these files (string or raw bytes). */
export function corpusWith(files: Record<string, string | Buffer>): string {
  const dir = tempDir('fixture');
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** Document id -> file text as read from disk: the ground truth every quote is checked against. */
export function readCorpusTexts(dir = CORPUS): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir)) if (/\.(md|txt)$/.test(f) && f !== 'aliases.txt') out.set(f, readFileSync(path.join(dir, f), 'utf8'));
  return out;
}

export const REAL_TEXT = readFileSync(path.join(CORPUS, CORPUS_DOC), 'utf8');

/** A short, well-formed Markdown analysis. */
export function markdownDoc(title: string, body: string, published = '2026-02-10', source = 'Test desk'): string {
  return `---\ntitle: "${title}"\nsource: "${source}"\npublished: ${published}\n---\n\n${body}\n`;
}

/**
 * Three analyses from different outlets and dates (one plain text, with neither), for the tests of
 * where and when a quote comes from. `front` is what each file's front matter says.
 */
export const DATED_DOCS = {
  gulf: {
    id: '2026-03-10-gulf.md',
    title: 'Gulf Capitals Split Over the Muscat Track',
    front: { source: 'Tidewater Gulf Monitor', published: '2026-03-10' },
    shown: 'Tidewater Gulf Monitor, 10 Mar 2026',
    question: 'Why did Riyadh and Abu Dhabi disagree about the Muscat track?',
    section: 'Divisions Among the Gulf States',
  },
  enrichment: {
    id: '2026-02-20-enrichment.md',
    title: 'Centrifuges After Muscat',
    front: { source: 'Caspian Policy Review', published: '2026-02-20' },
    shown: 'Caspian Policy Review, 20 Feb 2026',
    question: 'How many cascades did the inspectors count at Fordow?',
    section: 'Cascades at Fordow',
  },
  notes: {
    id: 'shipping-notes.txt',
    title: 'Shipping Notes',
    front: { source: '', published: '' },
    shown: 'Shipping Notes',
    question: 'Which tanker operators did the Treasury designate?',
    section: 'Introduction',
  },
} as const;

/** A corpus folder holding the DATED_DOCS, listed here in an order that is not newest first. */
export function datedCorpus(): string {
  const { gulf, enrichment, notes } = DATED_DOCS;
  return corpusWith({
    [notes.id]: `${notes.title}\n\nThe Treasury designated four tanker operators that carried Iranian crude through the Strait of Hormuz, citing forged cargo papers.\n`,
    [enrichment.id]: markdownDoc(
      enrichment.title,
      '## Cascades at Fordow\n\nInspectors counted six cascades of advanced centrifuges spinning at Fordow during their February visit. The operators had reconnected two of them since January.',
      enrichment.front.published,
      enrichment.front.source,
    ),
    [gulf.id]: markdownDoc(
      gulf.title,
      '## Divisions Among the Gulf States\n\nRiyadh and Abu Dhabi disagreed about the Muscat track because Saudi officials wanted guarantees on regional proxies before any sanctions relief, while Emirati officials favoured a quick deal that would reopen trade.',
      gulf.front.published,
      gulf.front.source,
    ),
  });
}

/** What a person reads above an answer's quotes (worded at the edge: adapters/shared/card.ts). */
export function leadOf(a: Answer): string {
  return answerLead(a, CONSOLE_DIALECT);
}

/** The answer as plain text, as `briefbot ask --json` gives it in `answer`. */
export function textOf(a: Answer): string {
  return answerText(a);
}

/**
 * The contract of every answered question (issue 2 "Answering"): at most 3 quotes, 1,200 characters
 * in all, each the exact file text at its offsets, none overlapping, and a lead naming the title and
 * every quoted section.
 */
export function expectVerifiedAnswer(a: Answer, texts: Map<string, string> = readCorpusTexts(), title = CORPUS_TITLE): void {
  expect(a.error).toBeUndefined();
  expect(a.abstained).toBe(false);
  expect(a.quotes.length).toBeGreaterThan(0);
  expect(a.quotes.length).toBeLessThanOrEqual(3);
  expect(a.quotes.reduce((n, q) => n + q.text.length, 0)).toBeLessThanOrEqual(1200);
  for (const q of a.quotes) {
    const text = texts.get(q.document);
    expect(text, `quote from unknown document ${q.document}`).toBeDefined();
    expect(text!.slice(q.start, q.end)).toBe(q.text);
    expect(q.text).toBe(q.text.trim());
    expect(leadOf(a)).toContain(q.section);
    expect(textOf(a)).toContain(q.text);
  }
  for (const [i, x] of a.quotes.entries()) {
    for (const y of a.quotes.slice(i + 1)) expect(x.document === y.document && x.start < y.end && y.start < x.end).toBe(false);
  }
  expect(leadOf(a)).toContain(title);
  expect(leadOf(a).split('\n')).toHaveLength(1);
}

export function expectAbstention(a: Answer): void {
  expect(a.abstained).toBe(true);
  expect(a.quotes).toEqual([]);
  expect(textOf(a)).toMatch(/sources don't cover/);
}

/** A logger that records what it is asked to log (pino's call shapes: (obj, msg) or (msg)). */
export function captureLogger(): { logger: Logger; lines: { level: string; msg: string; obj?: unknown }[] } {
  const lines: { level: string; msg: string; obj?: unknown }[] = [];
  const at = (level: string) => (a: unknown, b?: unknown) => {
    lines.push(typeof a === 'string' ? { level, msg: a } : { level, msg: String(b ?? ''), obj: a });
  };
  const logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger } as unknown as Logger;
  return { logger, lines };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/briefbot.js ...` from a temp working folder (so no developer .env is read) with the
 * platform and LLM variables removed (so nothing but the offline engine is configured).
 */
export function runBriefbot(args: string[], opts: { input?: string; cwd?: string } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(SLACK_|DISCORD_|OPENAI_|CORPUS_DIR$|DATA_DIR$|LOG_LEVEL$)/.test(k)) continue;
    env[k] = v;
  }
  env.LOG_LEVEL = 'warn';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? tempDir('cwd'), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** The JSON objects of a JSON-lines output, failing on any line that is not JSON. */
export function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** No Node stack-trace frames in a user-facing error output. */
export function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(stderr).not.toMatch(/node:internal/);
}
