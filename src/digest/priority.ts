// Which parts of a digest to give up first when a platform's message limits cannot hold it all.
// Shared by every adapter, so a digest loses the same things on Slack as on Discord.

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
