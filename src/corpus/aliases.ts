// The user-editable aliases file (corpus/aliases.txt): names that mean the same thing, so a question
// about "the Iran deal" finds passages about the JCPOA. Read at start; no index rebuild needed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { terms } from '../text/tokens.js';

export const ALIASES_FILE = 'aliases.txt';

/** Each alias is the term sequence of one name; a group is the names that mean the same. */
export type AliasGroups = string[][][];

export function parseAliases(text: string): AliasGroups {
  const groups: AliasGroups = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const names = line
      .split(',')
      .map((n) => terms(n))
      .filter((t) => t.length > 0);
    if (names.length > 1) groups.push(names);
  }
  return groups;
}

export function loadAliases(corpusDir: string): AliasGroups {
  const file = path.join(corpusDir, ALIASES_FILE);
  return existsSync(file) ? parseAliases(readFileSync(file, 'utf8')) : [];
}

/** Where the term sequence `needle` first occurs in `haystack`, or -1. */
export function indexOfSequence(haystack: string[], needle: string[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function containsSequence(haystack: string[], needle: string[]): boolean {
  return indexOfSequence(haystack, needle) >= 0;
}

/**
 * The terms that the aliases add to a question's terms: for every name the question mentions,
 * the terms of the other names in its group that the question does not already contain.
 */
export function expandAliases(questionTerms: string[], groups: AliasGroups): string[] {
  const have = new Set(questionTerms);
  const added = new Set<string>();
  for (const group of groups) {
    if (!group.some((name) => containsSequence(questionTerms, name))) continue;
    // Only one-word names are added: the words of "United States" alone ("united", "state")
    // would match every "State Department" and "stated".
    for (const name of group) if (name.length === 1 && !have.has(name[0])) added.add(name[0]);
  }
  return [...added];
}

/** True when `term` is one of the names of a group another of whose names occurs in `vocabulary`. */
export function aliasPresent(term: string, groups: AliasGroups, vocabulary: (t: string) => boolean): boolean {
  for (const group of groups) {
    if (!group.some((name) => name.length === 1 && name[0] === term)) continue;
    if (group.some((name) => name.every(vocabulary))) return true;
  }
  return false;
}
