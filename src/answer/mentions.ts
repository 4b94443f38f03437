// Whether a text names what a question names: the same stem, the same name (aliases, acronyms),
// or a multi-word alias ("Oman's foreign minister" for Busaidi); and the descriptions in a
// question that the aliases give a one-word name.
import { indexOfSequence, type AliasGroups } from '../corpus/aliases.js';
import { tokenize, type Token } from '../text/tokens.js';
import type { Query } from './query.js';
import { termMatch } from './scorer.js';

/** True when a text names what the question token names: the same stem, the same name, or a multi-word alias. */
export function mentions(t: Token, query: Query, text: string, aliases: AliasGroups): boolean {
  const stems = tokenize(text).filter((x) => !x.stop).map((x) => x.stem);
  const have = new Set(stems);
  if (have.has(t.stem) || termMatch(t.stem, query, new Map(stems.map((s) => [s, 1]))) >= 0.75) return true;
  for (const s of query.sameName.get(t.stem) ?? []) if (have.has(s)) return true;
  return aliases.some((group) => group.some((n) => n.length === 1 && n[0] === t.stem) && group.some((n) => n.length > 1 && indexOfSequence(stems, n) >= 0));
}

/** Runs of question words that are a multi-word alias of a one-word name the sources use. */
export function describedNames(query: Query, aliases: AliasGroups): { name: string; run: Token[] }[] {
  const stems = query.tokens.map((t) => t.stem);
  const out: { name: string; run: Token[] }[] = [];
  for (const group of aliases) {
    const name = group.find((n) => n.length === 1)?.[0];
    if (!name) continue;
    for (const alias of group) {
      if (alias.length < 2) continue;
      const at = indexOfSequence(stems, alias);
      if (at >= 0) out.push({ name, run: query.tokens.slice(at, at + alias.length) });
    }
  }
  // The longest description first: "Iran's foreign minister" before "foreign minister".
  return out.sort((a, b) => b.run.length - a.run.length);
}

