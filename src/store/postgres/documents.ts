// The corpus of several replicas (R2.6): in PostgreSQL mode the documents live in one table, and
// every replica writes that table out into a folder of its own (its mirror, under DATA_DIR) that
// its index is built from, exactly as from CORPUS_DIR with one process. A change is written to the
// table and announced with NOTIFY in the same transaction (PostgreSQL delivers it at commit:
// https://www.postgresql.org/docs/15/sql-notify.html), and every replica that LISTENs writes the
// change into its mirror, whose watcher re-indexes it. A removal is a tombstone, so importing
// CORPUS_DIR at the next start does not bring back a document an editor removed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { listCorpusFiles, readCorpusFile } from '../../corpus/load.js';
import type { Logger } from '../../log.js';
import { transaction, type Pool } from './pool.js';

/** The NOTIFY channel of document changes; the payload is the document id. */
export const DOCUMENTS_CHANNEL = 'briefbot_documents';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Writes a file whole or not at all, under a hidden temporary name the loader and the watcher pass over. */
function writeWhole(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** A mirror's file for a document id; an id that would leave the mirror is refused (ids come from other replicas). */
function fileOf(mirror: string, id: string): string | undefined {
  const file = path.resolve(mirror, id);
  return file.startsWith(path.resolve(mirror) + path.sep) ? file : undefined;
}

export class DocumentTable {
  constructor(
    private readonly pool: Pool,
    private readonly logger?: Logger,
  ) {}

  /**
   * Brings CORPUS_DIR's documents into the table: a file the table lacks, or whose text differs
   * from the table's, is written. A document removed by an editor stays removed while the file
   * still holds the text it was removed with. Returns how many were written.
   */
  async importFolder(dir: string, by = 'import'): Promise<number> {
    const rows = await this.pool.query<{ id: string; hash: string }>('SELECT id, hash FROM documents');
    const known = new Map(rows.rows.map((r) => [r.id, r.hash]));
    let written = 0;
    for (const f of listCorpusFiles(dir).files) {
      const read = readCorpusFile(f);
      if ('reason' in read) continue;
      if (known.get(f.id) === sha256(read.text)) continue;
      await this.put(f.id, read.text, by);
      written += 1;
    }
    return written;
  }

  /** Writes (or rewrites) one document and announces it. */
  async put(id: string, text: string, by: string): Promise<void> {
    await transaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO documents (id, body, hash, deleted, updated_at, updated_by) VALUES ($1, $2, $3, FALSE, now(), $4)
         ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, hash = EXCLUDED.hash, deleted = FALSE, updated_at = now(), updated_by = EXCLUDED.updated_by`,
        [id, text, sha256(text), by],
      );
      await client.query('SELECT pg_notify($1, $2)', [DOCUMENTS_CHANNEL, id]);
    });
  }

  /** Removes one document (a tombstone) and announces it; false when there was none. */
  async remove(id: string, by: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const r = await client.query('UPDATE documents SET deleted = TRUE, updated_at = now(), updated_by = $2 WHERE id = $1 AND NOT deleted', [id, by]);
      if (!r.rowCount) return false;
      await client.query('SELECT pg_notify($1, $2)', [DOCUMENTS_CHANNEL, id]);
      return true;
    });
  }

  /** Publishes one document of a mirror as it now is on disk: written when present, removed when gone. */
  async publish(mirror: string, id: string, by: string): Promise<void> {
    const file = fileOf(mirror, id);
    if (!file) throw new Error(`document id outside the corpus: ${id}`);
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) await this.remove(id, by);
    else await this.put(id, text, by);
  }

  /**
   * Makes the mirror folder hold exactly the table's live documents: writes what differs, deletes
   * what the table removed. Files the table never had are left alone until the table says
   * otherwise: they may be an addition of this replica still on its way in.
   */
  async materialize(mirror: string): Promise<{ written: number; removed: number }> {
    const { rows } = await this.pool.query<{ id: string; hash: string; deleted: boolean }>('SELECT id, hash, deleted FROM documents');
    const onDisk = new Map<string, string>();
    try {
      for (const f of listCorpusFiles(mirror).files) {
        const read = readCorpusFile(f);
        onDisk.set(f.id, 'reason' in read ? '' : sha256(read.text));
      }
    } catch {
      mkdirSync(mirror, { recursive: true });
    }
    const stale = rows.filter((r) => !r.deleted && onDisk.get(r.id) !== r.hash).map((r) => r.id);
    let written = 0;
    if (stale.length) {
      const bodies = await this.pool.query<{ id: string; body: string }>('SELECT id, body FROM documents WHERE id = ANY($1) AND NOT deleted', [stale]);
      for (const r of bodies.rows) {
        const file = fileOf(mirror, r.id);
        if (!file) continue;
        writeWhole(file, r.body);
        written += 1;
      }
    }
    let removed = 0;
    for (const r of rows) {
      const file = r.deleted && onDisk.has(r.id) ? fileOf(mirror, r.id) : undefined;
      if (!file) continue;
      rmSync(file, { force: true });
      removed += 1;
    }
    return { written, removed };
  }

  /**
   * Calls `onChange` for every announced change, on a connection of its own (LISTEN holds it).
   * A lost connection is re-opened after a pause, and `onChange` is called then too: changes
   * announced while it was away were not heard. Resolves with a function that stops listening.
   */
  async listen(onChange: () => void, retryMs = 1_000): Promise<() => Promise<void>> {
    let client: pg.PoolClient | undefined;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const connect = async (): Promise<void> => {
      const c = await this.pool.connect();
      c.on('notification', (n) => n.channel === DOCUMENTS_CHANNEL && onChange());
      c.on('error', (err) => {
        this.logger?.warn({ err: String(err) }, 'documents: lost the LISTEN connection; reconnecting');
        c.release(err);
        if (client === c) client = undefined;
        if (!stopped) timer = setTimeout(() => void connect().then(onChange, (e: unknown) => this.logger?.error({ err: String(e) }, 'documents: cannot LISTEN again')), retryMs);
      });
      await c.query(`LISTEN ${DOCUMENTS_CHANNEL}`);
      client = c;
    };
    await connect();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) {
        await c.query(`UNLISTEN ${DOCUMENTS_CHANNEL}`).catch(() => undefined);
        c.release();
      }
    };
  }
}
