// 👍 / 👎 on answers. Buttons can carry only a short id, so every answer that gets buttons is kept
// here first; a vote is stored with the question, the answer text and who voted, so the feedback
// table reads on its own without joining back to answers that may have been pruned. SQLite here;
// postgres/feedback.ts keeps the same in PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { Answer } from '../types.js';
import type { DB } from './db.js';
import { millis } from './rows.js';

export type Vote = 'up' | 'down';

export interface StoredAnswer {
  id: string;
  platform: string;
  question: string;
  answer: Answer;
  createdAt: number;
}

export interface FeedbackRecord {
  answerId: string;
  platform: string;
  user: string;
  vote: Vote;
  question: string;
  answer: string;
  at: number;
}

export interface VoteCounts {
  up: number;
  down: number;
}

/** Answers older than this lose their buttons' backing row unless someone voted on them. */
export const DEFAULT_ANSWER_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface FeedbackStoreOptions {
  retentionMs?: number;
  now?: () => number;
}

/** Votes on answers, whichever database keeps them. */
export interface FeedbackStore {
  /** Keeps an answer so later clicks (feedback, share) can find it; returns its id. */
  saveAnswer(platform: string, answer: Answer): Promise<string>;
  getAnswer(id: string): Promise<StoredAnswer | undefined>;
  /**
   * Stores `user`'s vote on an answer (a second click replaces the first) and returns the new
   * counts, or undefined when the answer is unknown (pruned, or a forged id).
   */
  record(answerId: string, user: string, vote: Vote): Promise<VoteCounts | undefined>;
  counts(answerId: string): Promise<VoteCounts>;
  /** Every vote, newest first: for export and review. */
  list(): Promise<FeedbackRecord[]>;
}

/** An answer as either database returns it: SQLite keeps JSON text and milliseconds, PostgreSQL jsonb and timestamptz. */
export interface AnswerRow {
  id: string;
  platform: string;
  question: string;
  answer_json: string | Answer;
  created_at: number | Date;
}

export interface FeedbackRow {
  answer_id: string;
  platform: string;
  user: string;
  vote: Vote;
  question: string;
  answer: string;
  at: number | Date;
}

export function answerFromRow(row: AnswerRow): StoredAnswer {
  const answer = typeof row.answer_json === 'string' ? (JSON.parse(row.answer_json) as Answer) : row.answer_json;
  return { id: row.id, platform: row.platform, question: row.question, answer, createdAt: millis(row.created_at) };
}

export function feedbackFromRow(r: FeedbackRow): FeedbackRecord {
  return { answerId: r.answer_id, platform: r.platform, user: r.user, vote: r.vote, question: r.question, answer: r.answer, at: millis(r.at) };
}

/** Counts from `SELECT vote, COUNT(*) … GROUP BY vote` rows. */
export function voteCounts(rows: { vote: Vote; n: number | string }[]): VoteCounts {
  const counts: VoteCounts = { up: 0, down: 0 };
  for (const r of rows) counts[r.vote] = Number(r.n);
  return counts;
}

export class SqliteFeedbackStore implements FeedbackStore {
  private readonly now: () => number;

  constructor(
    private readonly db: DB,
    options: FeedbackStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    db.exec(`
      CREATE TABLE IF NOT EXISTS feedback_answers (
        id          TEXT PRIMARY KEY,
        platform    TEXT NOT NULL,
        question    TEXT NOT NULL,
        answer_json TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS feedback (
        answer_id TEXT NOT NULL,
        platform  TEXT NOT NULL,
        user      TEXT NOT NULL,
        vote      TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        question  TEXT NOT NULL,
        answer    TEXT NOT NULL,
        at        INTEGER NOT NULL,
        PRIMARY KEY (answer_id, user)
      );
    `);
    const cutoff = this.now() - (options.retentionMs ?? DEFAULT_ANSWER_RETENTION_MS);
    db.prepare('DELETE FROM feedback_answers WHERE created_at < ? AND id NOT IN (SELECT answer_id FROM feedback)').run(cutoff);
  }

  async saveAnswer(platform: string, answer: Answer): Promise<string> {
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO feedback_answers (id, platform, question, answer_json, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, platform, answer.question, JSON.stringify(answer), this.now());
    return id;
  }

  async getAnswer(id: string): Promise<StoredAnswer | undefined> {
    const row = this.db.prepare('SELECT * FROM feedback_answers WHERE id = ?').get(id) as AnswerRow | undefined;
    return row && answerFromRow(row);
  }

  async record(answerId: string, user: string, vote: Vote): Promise<VoteCounts | undefined> {
    const stored = await this.getAnswer(answerId);
    if (!stored) return undefined;
    this.db
      .prepare(
        `INSERT INTO feedback (answer_id, platform, user, vote, question, answer, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (answer_id, user) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
      )
      .run(answerId, stored.platform, user, vote, stored.question, answerText(stored.answer), this.now());
    return this.counts(answerId);
  }

  async counts(answerId: string): Promise<VoteCounts> {
    return voteCounts(this.db.prepare('SELECT vote, COUNT(*) AS n FROM feedback WHERE answer_id = ? GROUP BY vote').all(answerId) as { vote: Vote; n: number }[]);
  }

  async list(): Promise<FeedbackRecord[]> {
    const rows = this.db.prepare('SELECT * FROM feedback ORDER BY at DESC, rowid DESC').all() as FeedbackRow[];
    return rows.map(feedbackFromRow);
  }
}

/** What the answer said, for review with its vote: the synthesis (LLM mode) and the quotes, verbatim. */
export function answerText(answer: Answer): string {
  return [answer.synthesis, ...answer.quotes.map((q) => `“${q.text}”`)].filter(Boolean).join('\n\n');
}
