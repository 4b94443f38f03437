// Votes on answers (../feedback.ts) in PostgreSQL: a click handled by any replica finds the answer
// another replica stored for its buttons.
import { randomUUID } from 'node:crypto';
import type { Answer } from '../../types.js';
import {
  answerFromRow,
  answerText,
  DEFAULT_ANSWER_RETENTION_MS,
  feedbackFromRow,
  voteCounts,
  type AnswerRow,
  type FeedbackRecord,
  type FeedbackRow,
  type FeedbackStore,
  type FeedbackStoreOptions,
  type StoredAnswer,
  type Vote,
  type VoteCounts,
} from '../feedback.js';
import type { Pool } from './pool.js';

// `user` is a reserved word in PostgreSQL (it is CURRENT_USER), so the column is user_id.
const FEEDBACK_COLUMNS = 'answer_id, platform, user_id AS "user", vote, question, answer, at';

export class PgFeedbackStore implements FeedbackStore {
  private readonly now: () => number;

  constructor(
    private readonly pool: Pool,
    private readonly options: FeedbackStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Forgets old answers nobody voted on (the SQLite store does it as it opens); openStores calls it. */
  async prune(): Promise<void> {
    const cutoff = new Date(this.now() - (this.options.retentionMs ?? DEFAULT_ANSWER_RETENTION_MS));
    await this.pool.query('DELETE FROM feedback_answers a WHERE created_at < $1 AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.answer_id = a.id)', [cutoff]);
  }

  async saveAnswer(platform: string, answer: Answer): Promise<string> {
    const id = randomUUID();
    await this.pool.query('INSERT INTO feedback_answers (id, platform, question, answer_json, created_at) VALUES ($1, $2, $3, $4, $5)', [
      id,
      platform,
      answer.question,
      JSON.stringify(answer),
      new Date(this.now()),
    ]);
    return id;
  }

  async getAnswer(id: string): Promise<StoredAnswer | undefined> {
    const row = (await this.pool.query<AnswerRow>('SELECT * FROM feedback_answers WHERE id = $1', [id])).rows[0];
    return row && answerFromRow(row);
  }

  async record(answerId: string, user: string, vote: Vote): Promise<VoteCounts | undefined> {
    const stored = await this.getAnswer(answerId);
    if (!stored) return undefined;
    await this.pool.query(
      `INSERT INTO feedback (answer_id, platform, user_id, vote, question, answer, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
      [answerId, stored.platform, user, vote, stored.question, answerText(stored.answer), new Date(this.now())],
    );
    return this.counts(answerId);
  }

  async counts(answerId: string): Promise<VoteCounts> {
    // COUNT is a bigint, which pg hands over as a string: voteCounts reads it as a number.
    return voteCounts((await this.pool.query<{ vote: Vote; n: string }>('SELECT vote, COUNT(*) AS n FROM feedback WHERE answer_id = $1 GROUP BY vote', [answerId])).rows);
  }

  async list(): Promise<FeedbackRecord[]> {
    // seq stands in for SQLite's rowid: the order votes were first cast, for votes of one instant.
    const { rows } = await this.pool.query<FeedbackRow>(`SELECT ${FEEDBACK_COLUMNS} FROM feedback ORDER BY at DESC, seq DESC`);
    return rows.map(feedbackFromRow);
  }
}
