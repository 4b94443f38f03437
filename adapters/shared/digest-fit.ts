// Fitting a digest into one platform message. One message keeps a day's digest atomic (one post,
// one message id, which is what the once-a-day claim records), so when a platform's limits cannot
// hold it all, whole quotes are left out rather than the digest split or a quote cut silently.
// Every platform gives up the same things in the same order; only the measure differs.
import type { Digest } from '../../src/digest/types.js';
import { digestCard, digestSlots, type DigestCard } from './digest-card.js';
import type { DigestDialect } from './digest-wording.js';

/**
 * The digest's items, least important first: extra passages of new documents, extra indicators,
 * the lead passage of all but the newest document (every new document stays listed by title),
 * points beyond three, then the rest. `fresh` holds each new document's items, newest first.
 */
export function dropOrder<T>(fresh: T[][], points: T[], indicators: T[]): T[] {
  const lastFirst = (xs: T[]) => [...xs].reverse();
  return [
    ...lastFirst(fresh.flatMap((qs) => qs.slice(1))),
    ...lastFirst(indicators.slice(1)),
    ...lastFirst(fresh.slice(1).flatMap((qs) => qs.slice(0, 1))),
    ...lastFirst(points.slice(3)),
    ...indicators.slice(0, 1),
    ...lastFirst(points.slice(1, 3)),
    ...fresh.slice(0, 1).flatMap((qs) => qs.slice(0, 1)),
    ...points.slice(0, 1),
  ];
}

/**
 * The digest's card with as few quotes left out as brings `measure(card)` to `limit` or under,
 * least important first. When even the card without any quote measures more, that card is
 * returned: what to do then is the platform's call.
 */
export function fitWithin(d: Digest, dialect: DigestDialect, limit: number, measure: (card: DigestCard) => number): DigestCard {
  const slots = digestSlots(d);
  const omitted = new Set<string>();
  let card = digestCard(d, { omitted, dialect });
  for (const slot of dropOrder(slots.fresh, slots.points, slots.indicators)) {
    if (measure(card) <= limit) break;
    omitted.add(slot);
    card = digestCard(d, { omitted, dialect });
  }
  return card;
}
