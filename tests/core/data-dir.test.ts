// A DATA_DIR that cannot be used fails with a line naming the file or folder and what to do, not
// "ENOENT … mkdir" or "file is not a database" (R2.4).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDatabase, STATE_FILE } from '../../src/store/db.js';
import { DataDirError } from '../../src/store/data-dir.js';
import { CORPUS, runBriefbot, tempDir } from './helpers.js';

describe('DATA_DIR problems', () => {
  test('a file where the folder should be: the CLI names it, says what to do, exits 2 without a stack', async () => {
    const file = path.join(tempDir('datadir'), 'data');
    writeFileSync(file, 'not a folder');
    const r = await runBriefbot(['ask', '--corpus', CORPUS, '--data', path.join(file, 'sub'), 'Who hosted the talks?']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^briefbot: cannot use the (index cache|folder) ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/sub.*a file stands where a folder should be.*Move that file away, or set DATA_DIR to another folder\\.\\n$`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a state database that is not one names the file and how to recover', () => {
    const dir = tempDir('notadb');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, STATE_FILE), 'definitely not sqlite '.repeat(200));
    let err: unknown;
    try {
      openDatabase(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirError);
    expect((err as DataDirError).message).toBe(`cannot use the state database ${path.join(dir, STATE_FILE)}: it is not a briefbot state database (damaged, or another kind of file) (file is not a database). Move it aside (briefbot then starts with empty state), or restore it from a backup.`);
    expect((err as DataDirError).userSafe).toBe(true);
  });
});
