// Platform events and clicks already handled, so each is answered once: a retried delivery (Slack's
// X-Slack-Retry-Num, a Socket Mode redelivery, a replayed click) is a duplicate, and a question
// counts as answered only once its answer is delivered. A claim left by a process that died
// mid-answer (kill -9, a crash) is taken over by the next delivery, which edits the placeholder the
// dead process posted: answered after all, and still never twice.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { DB } from './db.js';

export const DEFAULT_SEEN_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim not renewed for this long is abandoned (its process is gone), wherever that process ran. */
export const DEFAULT_LEASE_MS = 60_000;

export interface DeliveriesOptions {
  /** How long an id is remembered; a redelivery after that counts as new. */
  ttlMs?: number;
  leaseMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Says whether a process of this host is alive: a dead one's claims are taken over at once. */
  alive?: (pid: number) => boolean;
}

/** What a delivery is to this process: new work, a duplicate, or an answer a dead process left unfinished. */
export type Claim = { kind: 'new' } | { kind: 'duplicate'; source?: string } | { kind: 'resume'; placeholder?: string };

interface Row {
  state: 'claimed' | 'done';
  owner: string;
  host: string;
  pid: number;
  placeholder: string | null;
  lease_until: number;
  seen_at: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Deliveries {
  /** This process, in the claims it makes. */
  readonly owner = randomUUID();
  private readonly host = hostname();
  private readonly ttlMs: number;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private readonly alive: (pid: number) => boolean;
  private lastPrune = 0;
  private readonly statements;

  /** `db`: best the state file's per-event connection (db.ts, openLedger), written on every event. */
  constructor(
    private readonly db: DB,
    options: DeliveriesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_SEEN_TTL_MS;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.now = options.now ?? Date.now;
    this.alive = options.alive ?? processAlive;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS deliveries (
        source      TEXT NOT NULL,
        id          TEXT NOT NULL,
        state       TEXT NOT NULL,
        owner       TEXT NOT NULL,
        host        TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        placeholder TEXT,
        lease_until INTEGER NOT NULL,
        seen_at     INTEGER NOT NULL,
        PRIMARY KEY (source, id)
      );
      CREATE INDEX IF NOT EXISTS deliveries_seen_at ON deliveries (seen_at);
    `);
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO deliveries (source, id, state, owner, host, pid, lease_until, seen_at) VALUES (?, ?, 'claimed', ?, ?, ?, ?, ?)
         ON CONFLICT (source, id) DO UPDATE SET state = 'claimed', owner = excluded.owner, host = excluded.host, pid = excluded.pid,
           placeholder = NULL, lease_until = excluded.lease_until, seen_at = excluded.seen_at
         WHERE deliveries.seen_at <= ?`,
      ),
      select: this.db.prepare('SELECT state, owner, host, pid, placeholder, lease_until, seen_at FROM deliveries WHERE source = ? AND id = ?'),
      takeOver: this.db.prepare(`UPDATE deliveries SET owner = ?, host = ?, pid = ?, lease_until = ? WHERE source = ? AND id = ? AND state = 'claimed' AND owner = ?`),
      hold: this.db.prepare('UPDATE deliveries SET placeholder = ?, lease_until = ? WHERE source = ? AND id = ? AND owner = ?'),
      done: this.db.prepare(`UPDATE deliveries SET state = 'done' WHERE source = ? AND id = ? AND owner = ?`),
      prune: this.db.prepare('DELETE FROM deliveries WHERE seen_at <= ?'),
    };
  }

  /**
   * Claims each `[source, id]` ("slack" and the event id, "slack:message" and the message) for
   * this process, in one transaction: a duplicate as soon as one of them is, else new, or a resume
   * (with the placeholder the dead owner posted) when any was taken over.
   */
  claim(...keys: [string, string][]): Claim {
    return this.db.transaction(() => {
      let resume: Claim | undefined;
      for (const [source, id] of keys) {
        const claim = this.claimOne(source, id);
        if (claim.kind === 'duplicate') return { kind: 'duplicate' as const, source };
        if (claim.kind === 'resume' && !(resume?.kind === 'resume' && resume.placeholder)) resume = claim;
      }
      return resume ?? { kind: 'new' as const };
    })();
  }

  private claimOne(source: string, id: string): Claim {
    const now = this.now();
    this.prune(now);
    // One statement decides "first time" atomically, so two processes sharing the database or two
    // concurrent deliveries cannot both win; an expired row is reclaimed in place.
    const fresh = this.statements.insert.run(source, id, this.owner, this.host, process.pid, now + this.leaseMs, now, now - this.ttlMs);
    if (fresh.changes === 1) return { kind: 'new' };
    const row = this.statements.select.get(source, id) as Row | undefined;
    if (!row || row.state === 'done' || row.owner === this.owner) return { kind: 'duplicate' };
    const abandoned = row.lease_until <= now || (row.host === this.host && row.pid !== process.pid && !this.alive(row.pid));
    if (!abandoned) return { kind: 'duplicate' };
    // Take it over only if nobody else did meanwhile: the row must still name the dead owner.
    const taken = this.statements.takeOver.run(this.owner, this.host, process.pid, now + this.leaseMs, source, id, row.owner);
    return taken.changes === 1 ? { kind: 'resume', ...(row.placeholder ? { placeholder: row.placeholder } : {}) } : { kind: 'duplicate' };
  }

  /** Remembers the placeholder posted for the claims, for whoever has to finish them; renews the lease. */
  hold(placeholder: string, ...keys: [string, string][]): void {
    const until = this.now() + this.leaseMs;
    this.db.transaction(() => {
      for (const [source, id] of keys) this.statements.hold.run(placeholder, until, source, id, this.owner);
    })();
  }

  /** The claims are finished: their answer (or an apology) was delivered. */
  done(...keys: [string, string][]): void {
    this.db.transaction(() => {
      for (const [source, id] of keys) this.statements.done.run(source, id, this.owner);
    })();
  }

  /** Pruning on the claim path, at most once per tenth of the window, bounds the table without a timer. */
  private prune(now: number): void {
    if (now - this.lastPrune <= this.ttlMs / 10) return;
    this.lastPrune = now;
    this.statements.prune.run(now - this.ttlMs);
  }
}
