// A later analysis that revises an earlier account says so in so many words: a finding "overturns
// the claim", a round "once expected within days has slipped", talks are "no longer" where they
// were. These are the discourse markers of a correction in news writing, whatever the subject; a
// sentence holding one, about what an older source also discussed, is the newer side of a
// disagreement that no pair of antonyms shows (conflict.ts).

const REVISION = new RegExp(
  [
    String.raw`\bover(?:turn|turns|turned|turning)\b`,
    String.raw`\bcontradict(?:s|ed|ing)?\b`,
    String.raw`\bcontrary to\b`,
    String.raw`\bat odds with\b`,
    String.raw`\bno longer\b`,
    String.raw`\bonce (?:expected|thought|believed|seen|described|billed|touted|promised)\b`,
    String.raw`\b(?:has|have|had) (?:since )?(?:slipped|stalled|unravel(?:l)?ed|collapsed|been (?:delayed|postponed|pushed back|walked back|reversed|revised))\b`,
    String.raw`\bslipped repeatedly\b`,
    String.raw`\b(?:proved|proven|turned out to be) (?:wrong|false|mistaken|premature|overstated|unfounded)\b`,
    String.raw`\b(?:walked|rolled) back\b`,
    String.raw`\b(?:earlier|initial|first|previous|widely repeated|widely reported) (?:reports?|claims?|accounts?|assessments?|coverage)\b`,
    String.raw`\bdespite (?:earlier|initial|previous)\b`,
  ].join('|'),
  'i',
);

/** True when a sentence says that something said before no longer holds. */
export function revises(sentence: string): boolean {
  return REVISION.test(sentence);
}
