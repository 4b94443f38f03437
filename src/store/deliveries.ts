// Platform events and clicks already handled, so each is answered once: a retried delivery (Slack's
// X-Slack-Retry-Num, a Socket Mode redelivery, a replayed click) is a duplicate, and a question
// counts as answered only once its answer is delivered. A claim left by a process that died
// mid-answer (kill -9, a crash) is taken over by the next delivery, which edits the placeholder the
// dead process posted: answered after all, and still never twice. SQLite here; the same ledger in
// PostgreSQL, shared by replicas, is postgres/deliveries.ts.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { DB } from './db.js';
import { millis } from './rows.js';

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

/** The ledger of deliveries, whichever database keeps it. */
export interface Deliveries {
  /** This process, in the claims it makes. */
  readonly owner: string;
  /**
   * Claims each `[source, id]` ("slack" and the event id, "slack:message" and the message) for
   * this process, in one transaction: a duplicate as soon as one of them is, else new, or a resume
   * (with the placeholder the dead owner posted) when any was taken over.
   */
  claim(...keys: [string, string][]): Promise<Claim>;
  /** Remembers the placeholder posted for the claims, for whoever has to finish them; renews the lease. */
  hold(placeholder: string, ...keys: [string, string][]): Promise<void>;
  /** The claims are finished: their answer (or an apology) was delivered. */
  done(...keys: [string, string][]): Promise<void>;
}

/** Who holds a claim, as both ledgers store it. */
export interface ClaimHolder {
  state: 'claimed' | 'done';
  owner: string;
  host: string;
  pid: number;
  placeholder: string | null;
  /** Milliseconds since the epoch. */
  leaseUntil: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The rules both ledgers apply alike: who this process is, when a claim is abandoned, when to prune. */
export abstract class DeliveryRules {
  readonly owner = randomUUID();
  protected readonly host = hostname();
  protected readonly pid = process.pid;
  protected readonly ttlMs: number;
  protected readonly leaseMs: number;
  protected readonly now: () => number;
  private readonly alive: (pid: number) => boolean;
  private lastPrune = 0;

  constructor(options: DeliveriesOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_SEEN_TTL_MS;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.now = options.now ?? Date.now;
    this.alive = options.alive ?? processAlive;
  }

  /** What a row that `claimOne` did not win means: a duplicate, unless its owner is gone and it may be taken over. */
  protected abandoned(row: ClaimHolder | undefined, now: number): row is ClaimHolder {
    if (!row || row.state === 'done' || row.owner === this.owner) return false;
    // Another host's pids mean nothing here: only its lease says whether it is gone.
    return row.leaseUntil <= now || (row.host === this.host && row.pid !== this.pid && !this.alive(row.pid));
  }

  /** The claim to report once a takeover was tried: a resume when this process won it. */
  protected resumed(row: ClaimHolder, won: boolean): Claim {
    return won ? { kind: 'resume', ...(row.placeholder ? { placeholder: row.placeholder } : {}) } : { kind: 'duplicate' };
  }

  /** Pruning on the claim path, at most once per tenth of the window, bounds the table without a timer. */
  protected pruneDue(now: number): boolean {
    if (now - this.lastPrune <= this.ttlMs / 10) return false;
    this.lastPrune = now;
    return true;
  }
}

/**
 * Folds the claims of one delivery's keys, in order, into one: `undefined` while undecided. A
 * duplicate decides at once; a resume with a placeholder beats one without.
 */
export function mergeClaim(sofar: Claim | undefined, next: Claim, source: string): { claim?: Claim; final: boolean } {
  if (next.kind === 'duplicate') return { claim: { kind: 'duplicate', source }, final: true };
  if (next.kind === 'resume' && !(sofar?.kind === 'resume' && sofar.placeholder)) return { claim: next, final: false };
  return { claim: sofar, final: false };
}

/** A claim's row as either database returns it: the lease in epoch milliseconds (SQLite) or a timestamptz (PostgreSQL). */
export interface DeliveryRow extends Omit<ClaimHolder, 'leaseUntil'> {
  lease_until: number | Date;
}

export const holderFromRow = (row: DeliveryRow | undefined): ClaimHolder | undefined => row && { ...row, leaseUntil: millis(row.lease_until) };

export class SqliteDeliveries extends DeliveryRules implements Deliveries {
  private readonly statements;

  /** `db`: best the state file's per-event connection (db.ts, openLedger), written on every event. */
  constructor(
    private readonly db: DB,
    options: DeliveriesOptions = {},
  ) {
    super(options);
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
      select: this.db.prepare('SELECT state, owner, host, pid, placeholder, lease_until FROM deliveries WHERE source = ? AND id = ?'),
      takeOver: this.db.prepare(`UPDATE deliveries SET owner = ?, host = ?, pid = ?, lease_until = ? WHERE source = ? AND id = ? AND state = 'claimed' AND owner = ?`),
      hold: this.db.prepare('UPDATE deliveries SET placeholder = ?, lease_until = ? WHERE source = ? AND id = ? AND owner = ?'),
      done: this.db.prepare(`UPDATE deliveries SET state = 'done' WHERE source = ? AND id = ? AND owner = ?`),
      prune: this.db.prepare('DELETE FROM deliveries WHERE seen_at <= ?'),
    };
  }

  async claim(...keys: [string, string][]): Promise<Claim> {
    return this.db.transaction(() => {
      let claim: Claim | undefined;
      for (const [source, id] of keys) {
        const step = mergeClaim(claim, this.claimOne(source, id), source);
        claim = step.claim;
        if (step.final) break;
      }
      return claim ?? { kind: 'new' as const };
    })();
  }

  private claimOne(source: string, id: string): Claim {
    const now = this.now();
    if (this.pruneDue(now)) this.statements.prune.run(now - this.ttlMs);
    // One statement decides "first time" atomically, so two processes sharing the database or two
    // concurrent deliveries cannot both win; an expired row is reclaimed in place.
    const fresh = this.statements.insert.run(source, id, this.owner, this.host, this.pid, now + this.leaseMs, now, now - this.ttlMs);
    if (fresh.changes === 1) return { kind: 'new' };
    const row = holderFromRow(this.statements.select.get(source, id) as DeliveryRow | undefined);
    if (!this.abandoned(row, now)) return { kind: 'duplicate' };
    // Take it over only if nobody else did meanwhile: the row must still name the dead owner.
    const taken = this.statements.takeOver.run(this.owner, this.host, this.pid, now + this.leaseMs, source, id, row.owner);
    return this.resumed(row, taken.changes === 1);
  }

  async hold(placeholder: string, ...keys: [string, string][]): Promise<void> {
    const until = this.now() + this.leaseMs;
    this.db.transaction(() => {
      for (const [source, id] of keys) this.statements.hold.run(placeholder, until, source, id, this.owner);
    })();
  }

  async done(...keys: [string, string][]): Promise<void> {
    this.db.transaction(() => {
      for (const [source, id] of keys) this.statements.done.run(source, id, this.owner);
    })();
  }
}
