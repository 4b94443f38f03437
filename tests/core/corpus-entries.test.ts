// What the corpus folder may hold besides documents (R2.4): every entry passed over is named with
// a reason, names are shown safe for a terminal, and a huge file is refused from its size alone.
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { displayName, loadCorpus, MAX_DOCUMENT_BYTES } from '../../src/corpus/load.js';
import { corpusWith, markdownDoc, runBriefbot, tempDir } from './helpers.js';

const good = () => markdownDoc('Doc A', '## S\n\nOman hosted the talks.');

describe('entries that are not documents', () => {
  test('links, pipes, hidden folders and odd names are each skipped with a warning; documents still load', () => {
    const dir = corpusWith({ 'a.md': good() });
    const outside = tempDir('outside');
    writeFileSync(path.join(outside, 'secret.md'), markdownDoc('Secret', '## S\n\nNot for the corpus.'));
    symlinkSync(path.join(outside, 'secret.md'), path.join(dir, 'linked.md'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.md')]);
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git', 'inside.md'), good());
    writeFileSync(path.join(dir, 'bad\nwarning: forged.md'), good());
    const c = loadCorpus(dir);
    expect(c.documents.map((d) => d.id)).toEqual(['a.md']);
    expect(c.warnings).toEqual([
      { file: '.git', reason: 'a hidden folder (its name starts with a dot)' },
      { file: 'bad\\u{a}warning: forged.md', reason: 'its name holds control characters; rename it' },
      { file: 'linked.md', reason: 'a symbolic link (briefbot reads only regular files inside the corpus folder)' },
      { file: 'pipe.md', reason: 'not a regular file (a named pipe)' },
    ]);
  });

  test('a file far over the size limit is refused from its size, not read', () => {
    const dir = corpusWith({ 'a.md': good(), 'huge.md': '' });
    // A sparse 500 MB file: reading it whole would take 500 MB of memory.
    truncateSync(path.join(dir, 'huge.md'), 500 * 1024 * 1024);
    const c = loadCorpus(dir);
    expect(c.warnings).toEqual([{ file: 'huge.md', reason: `the file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB` }]);
  });

  test('displayName writes control and format characters out', () => {
    expect(displayName('a\nb\u202Ec\u0007.md')).toBe('a\\u{a}b\\u{202e}c\\u{7}.md');
    expect(displayName('Oman analysis.md')).toBe('Oman analysis.md');
  });

  test('ingest prints one warning line per skipped entry, a newline in a name cannot forge another', async () => {
    const dir = corpusWith({ 'a.md': good() });
    writeFileSync(path.join(dir, 'x\nwarning: skipped everything.md'), good());
    const r = await runBriefbot(['ingest', '--corpus', dir, '--data', tempDir('ingest-names')]);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual(['warning: skipped x\\u{a}warning: skipped everything.md: its name holds control characters; rename it']);
  });
});

test('a zero-width space or soft hyphen inside a word of a document does not hide the word', async () => {
  const { Briefing } = await import('../../src/briefing.js');
  const text = markdownDoc('Doc Z', '## S\n\nO\u200Bman hosted the talks, and the Zentra\u00ADvian envoy attended in person.');
  const dir = corpusWith({ 'z.md': text });
  const b = await Briefing.open({ corpusDir: dir, dataDir: tempDir('zw') });
  const a = await b.ask('Did the Zentravian envoy attend the talks in Oman?');
  expect(a.abstained).toBe(false);
  expect(a.missing).toEqual([]);
  for (const q of a.quotes) expect(text.slice(q.start, q.end)).toBe(q.text);
  expect(a.quotes[0].text).toContain('O\u200Bman hosted the talks');
});
