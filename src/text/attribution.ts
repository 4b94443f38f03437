// The one attribution line every rendering puts under a quote (DESIGN.md: quotes carry their
// sources and dates): "Tidewater Gulf Monitor, 10 Mar 2026 · Section". The core's terminal text
// uses it directly; the adapters reach it through adapters/shared/card.ts.
import type { Quote } from '../types.js';
import { formatDay } from './dates.js';

/** "Tidewater Gulf Monitor, 10 Mar 2026": the outlet, else `fallback`, and the date when there is one. */
export function byline(source: string, published: string, fallback = ''): string {
  return [source.trim() || fallback, formatDay(published)].filter(Boolean).join(', ');
}

/** A document's outlet and date in a list of sources, saying plainly when either is unknown. */
export function listedByline(source: string, published: string): string {
  return `${source.trim() || 'outlet unknown'}, ${formatDay(published) || 'undated'}`;
}

/**
 * "Outlet, 10 Mar 2026 · Section": the document's title stands in for a missing outlet, a missing
 * date is left out, and so is a section that only repeats the name before it.
 */
export function attribution(quote: Pick<Quote, 'source' | 'published' | 'section'>, title: string): string {
  const origin = quote.source?.trim() || title;
  const head = byline(origin, quote.published ?? '');
  const section = quote.section?.trim();
  return section && section !== origin ? `${head} · ${section}` : head;
}
