// How well an answer covers its question, in plain words. Slack, Discord and the console all show
// the same note, so the wording lives here only; it is plain text and each platform escapes it as
// it escapes any other text.
import type { Answer, Coverage } from '../../src/types.js';

/**
 * The fields the note reads. `coverage` and `missing` may be absent at run time: answers stored
 * before they existed (Slack keeps answers for sharing and votes) and engine paths that do not set
 * them yet.
 */
export type CoverageFields = Pick<Answer, 'abstained'> & Partial<Pick<Answer, 'coverage' | 'missing'>>;

/** Beyond this many missing details the note would stop being one short line. */
const MAX_MISSING_SHOWN = 4;

export function coverageOf(answer: CoverageFields): Coverage {
  return answer.coverage ?? (answer.abstained ? 'none' : 'answered');
}

/** "range", "range and payload", "range, payload and tests". */
function naturalList(items: string[]): string {
  const shown = items.slice(0, MAX_MISSING_SHOWN);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** The question's own words: kept on one line, and each named once. */
function missingDetails(missing: string[] | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of missing ?? []) {
    const item = raw.replace(/\s+/g, ' ').trim();
    const key = item.toLowerCase();
    if (!item || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/**
 * One line telling the reader how far the quotes go, or undefined when there is nothing to add:
 * a full answer needs no caveat, and an abstention's reply already says the sources don't cover it.
 */
export function coverageNote(answer: CoverageFields): string | undefined {
  // An abstention is rendered as one whatever `coverage` claims, so a note would contradict it.
  if (answer.abstained) return undefined;
  switch (coverageOf(answer)) {
    case 'partial': {
      const missing = missingDetails(answer.missing);
      // The missing details are the question's words, not noun phrases we could put an article
      // before, so they follow a colon rather than "the sources don't give the …".
      return missing.length ? `Partly covered. Not in the sources: ${naturalList(missing)}.` : 'Partly covered: the sources answer only part of this.';
    }
    case 'related':
      return 'Closest passages: the sources may not answer this exactly.';
    default:
      return undefined;
  }
}
