// Where and when a quote or a document comes from, for every platform: the attribution line under
// a quote ("Tidewater Gulf Monitor, 10 Mar 2026 · Section") and a document's byline in source lists
// and digests. The wording itself is src/text/attribution.ts, which the core's terminal text and
// `briefbot sources` use too; each platform escapes and lays out the plain text it gets here.
import { attribution, byline, listedByline } from '../../src/text/attribution.js';
import type { Quote, SourceInfo } from '../../src/types.js';

/** The quote's document title from an answer's `titles`, else its id. */
export function documentTitle(quote: Pick<Quote, 'document'>, titles: Record<string, string> | undefined): string {
  return titles?.[quote.document] ?? quote.document;
}

/**
 * "Tidewater Gulf Monitor, 10 Mar 2026 · Section" (the title where there is no outlet, no date
 * where there is none). Quotes stored before they carried an outlet and date read as undated.
 */
export function quoteAttribution(quote: Quote, titles: Record<string, string> | undefined): string {
  return attribution(quote, documentTitle(quote, titles));
}

/** "Tidewater Gulf Monitor, 10 Mar 2026" after a document's title, or "" when neither is known. */
export function documentByline(document: Pick<SourceInfo, 'source' | 'published'>): string {
  return byline(document.source, document.published);
}

/** A document's outlet and date for a list of sources, saying plainly when either is unknown. */
export function sourceListByline(document: Pick<SourceInfo, 'source' | 'published'>): string {
  return listedByline(document.source, document.published);
}
