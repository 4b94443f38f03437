// One corpus for several replicas (R2.6): CORPUS_DIR imported into the documents table, mirrored by
// every replica, changes announced with NOTIFY. Through the real stack of `briefbot start` (stores,
// the mirror, the pooled engine, the watcher, the desk): an analysis an editor adds on one replica
// is answerable on the other, and a removal reaches it too; a removed document is not brought back
// by importing the folder again.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpus, startLiveCorpus, type LiveCorpus } from '../../adapters/live-corpus.js';
import { loadConfig } from '../../src/config.js';
import type { SharedCorpus } from '../../src/sources/shared-corpus.js';
import { DocumentTable } from '../../src/store/postgres/documents.js';
import { openStores, type Stores } from '../../src/store/stores.js';
import { PooledBriefing } from '../../src/workers/answer-pool.js';
import { captureLogger, copyCorpus, CORPUS_DOC, tempDir } from '../core/helpers.js';
import { postgresServer } from './backends.js';
import { postgresBinOrSkip } from './postgres-server.js';

const bin = postgresBinOrSkip('the shared corpus tests (tests/store/shared-corpus.test.ts)');
const QUESTION = 'How many tankers did port officials count at Bandar Abbas?';
const NOTES = 'Field notes\n\nThe convoy reached Bandar Abbas at dawn, escorted by two frigates.\n\nPort officials counted nine tankers waiting to load crude.\n';

interface Replica {
  stores: Stores;
  shared: SharedCorpus;
  pooled: PooledBriefing;
  live: LiveCorpus;
}

describe.skipIf(!bin)('a corpus shared by replicas through PostgreSQL', () => {
  const server = postgresServer(bin ?? '');
  let site: Server;
  let url = '';
  const replicas: Replica[] = [];

  beforeAll(async () => {
    site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(NOTES)).listen(0, '127.0.0.1');
    await new Promise((r) => site.once('listening', r));
    url = await server.current().createDatabase('corpus');
    const corpusDir = copyCorpus();
    for (let i = 0; i < 2; i++) {
      const config = { ...loadConfig({ DATABASE_URL: url, BRIEFBOT_ALLOW_PRIVATE_URLS: 'true', LOG_LEVEL: 'silent' }), corpusDir, dataDir: tempDir(`replica${i}`) };
      const { logger } = captureLogger();
      const stores = await openStores(config, { logger });
      const shared = (await openCorpus(config, stores, logger))!;
      const pooled = await PooledBriefing.start({ corpusDir: shared.corpusDir, dataDir: config.dataDir }, 'silent', 1);
      const live = await startLiveCorpus(pooled, { ...config, corpusDir: shared.corpusDir }, stores, logger, shared);
      replicas.push({ stores, shared, pooled, live });
    }
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) {
      await r.live.stop();
      await r.shared.stop();
      await r.pooled.close();
      await r.stores.close();
    }
    site?.close();
  });

  it('each replica answers from its mirror of the imported folder', async () => {
    for (const r of replicas) {
      expect(readFileSync(path.join(r.shared.corpusDir, CORPUS_DOC), 'utf8')).toContain('Muscat');
      expect((await r.pooled.ask('Who hosted the talks in Oman?')).coverage).not.toBe('none');
    }
  });

  it('an analysis added on one replica is answerable on the other; its removal reaches it too', async () => {
    const [a, b] = replicas;
    expect((await b.pooled.ask(QUESTION)).coverage).toBe('none');
    const out = await a.live.desk.add({ url: `http://127.0.0.1:${(site.address() as AddressInfo).port}/notes.txt`, by: 'slack:U0EDITOR' });
    expect(out).toMatchObject({ kind: 'added', live: true });
    if (out.kind !== 'added') return;
    const added = performance.now();
    // The other replica hears the NOTIFY, writes its mirror, and its watcher re-indexes.
    for (;;) {
      const answer = await b.pooled.ask(QUESTION);
      if (answer.quotes.some((q) => q.document === out.added.id)) break;
      expect(performance.now() - added).toBeLessThan(30_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    await a.live.desk.remove(out.added.id, 'slack:U0EDITOR');
    for (;;) {
      if (!existsSync(path.join(b.shared.corpusDir, out.added.id)) && (await b.pooled.ask(QUESTION)).coverage === 'none') break;
      expect(performance.now() - added).toBeLessThan(60_000);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 90_000);

  it('importing the folder again does not bring back a document an editor removed', async () => {
    const table = new DocumentTable(replicas[0].stores.pool!);
    expect(await table.remove(CORPUS_DOC, 'test')).toBe(true);
    const corpusDir = copyCorpus();
    expect(await table.importFolder(corpusDir)).toBe(0);
  });
});
