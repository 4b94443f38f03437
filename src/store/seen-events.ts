// Platform event ids already handled, so a retried delivery (Slack's X-Slack-Retry-Num, a Socket
// Mode redelivery, a restart in between) is answered once. Rows expire: platforms stop retrying
// within the hour, so a day of memory is plenty and keeps the table small.
import type { DB } from './db.js';

export const DEFAULT_SEEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface SeenEventsOptions {
  /** How long an id is remembered; a redelivery after that counts as new. */
  ttlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export class SeenEvents {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly claimStmt;
  private readonly pruneStmt;
  private lastPrune = 0;

  constructor(db: DB, options: SeenEventsOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_SEEN_TTL_MS;
    this.now = options.now ?? Date.now;
    db.exec(`
      CREATE TABLE IF NOT EXISTS seen_events (
        source  TEXT NOT NULL,
        id      TEXT NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (source, id)
      );
      CREATE INDEX IF NOT EXISTS seen_events_seen_at ON seen_events (seen_at);
    `);
    // One statement decides "first time" atomically, so two processes sharing DATA_DIR (WAL) or two
    // concurrent deliveries cannot both win; an expired row is reclaimed in place.
    this.claimStmt = db.prepare(`
      INSERT INTO seen_events (source, id, seen_at) VALUES (?, ?, ?)
      ON CONFLICT (source, id) DO UPDATE SET seen_at = excluded.seen_at
      WHERE seen_events.seen_at <= ?
    `);
    this.pruneStmt = db.prepare('DELETE FROM seen_events WHERE seen_at <= ?');
  }

  /**
   * Records `id` under `source` ("slack", "discord", ...) and says whether this is its first
   * sighting within the expiry window: true means handle it, false means it is a duplicate.
   */
  claim(source: string, id: string): boolean {
    const now = this.now();
    const expiredBefore = now - this.ttlMs;
    const { changes } = this.claimStmt.run(source, id, now, expiredBefore);
    // Pruning on the claim path, at most once per tenth of the window, bounds the table without a timer.
    if (now - this.lastPrune > this.ttlMs / 10) {
      this.lastPrune = now;
      this.pruneStmt.run(expiredBefore);
    }
    return changes === 1;
  }
}
