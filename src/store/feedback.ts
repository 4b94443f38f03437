// 👍 / 👎 on answers. Buttons can carry only a short id, so every answer that gets buttons is kept
// here first; a vote is stored with the question, the answer text and who voted, so the feedback
// table reads on its own without joining back to answers that may have been pruned.
import { randomUUID } from 'node:crypto';
import type { Answer } from '../types.js';
import type { DB } from './db.js';

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

interface AnswerRow {
  id: string;
  platform: string;
  question: string;
  answer_json: string;
  created_at: number;
}

interface FeedbackRow {
  answer_id: string;
  platform: string;
  user: string;
  vote: Vote;
  question: string;
  answer: string;
  at: number;
}

export class FeedbackStore {
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

  /** Keeps an answer so later clicks (feedback, share) can find it; returns its id. */
  saveAnswer(platform: string, answer: Answer): string {
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO feedback_answers (id, platform, question, answer_json, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, platform, answer.question, JSON.stringify(answer), this.now());
    return id;
  }

  getAnswer(id: string): StoredAnswer | undefined {
    const row = this.db.prepare('SELECT * FROM feedback_answers WHERE id = ?').get(id) as AnswerRow | undefined;
    if (!row) return undefined;
    return { id: row.id, platform: row.platform, question: row.question, answer: JSON.parse(row.answer_json) as Answer, createdAt: row.created_at };
  }

  /**
   * Stores `user`'s vote on an answer (a second click replaces the first) and returns the new
   * counts, or undefined when the answer is unknown (pruned, or a forged id).
   */
  record(answerId: string, user: string, vote: Vote): VoteCounts | undefined {
    const stored = this.getAnswer(answerId);
    if (!stored) return undefined;
    this.db
      .prepare(
        `INSERT INTO feedback (answer_id, platform, user, vote, question, answer, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (answer_id, user) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
      )
      .run(answerId, stored.platform, user, vote, stored.question, answerText(stored.answer), this.now());
    return this.counts(answerId);
  }

  counts(answerId: string): VoteCounts {
    const rows = this.db.prepare('SELECT vote, COUNT(*) AS n FROM feedback WHERE answer_id = ? GROUP BY vote').all(answerId) as { vote: Vote; n: number }[];
    const counts: VoteCounts = { up: 0, down: 0 };
    for (const r of rows) counts[r.vote] = r.n;
    return counts;
  }

  /** Every vote, newest first: for export and review. */
  list(): FeedbackRecord[] {
    const rows = this.db.prepare('SELECT * FROM feedback ORDER BY at DESC, rowid DESC').all() as FeedbackRow[];
    return rows.map((r) => ({ answerId: r.answer_id, platform: r.platform, user: r.user, vote: r.vote, question: r.question, answer: r.answer, at: r.at }));
  }
}

/** What the answer said, for review with its vote: the synthesis (LLM mode) and the quotes, verbatim. */
function answerText(answer: Answer): string {
  return [answer.synthesis, ...answer.quotes.map((q) => `“${q.text}”`)].filter(Boolean).join('\n\n');
}
