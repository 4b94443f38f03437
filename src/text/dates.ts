// Publication dates as people read them, and documents in the order a briefing lists them. Spelled
// out here rather than by Intl, whose month names vary with the ICU version and the locale.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03-10" -> "10 Mar 2026"; "" for "" or anything that is not a real YYYY-MM-DD date. */
export function formatDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return '';
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** Newest publication first; undated documents last; the same date (or none) by title, then id. */
export function newestFirst<T extends { id: string; title: string; published: string }>(documents: readonly T[]): T[] {
  return [...documents].sort((a, b) => {
    if (a.published !== b.published) {
      if (!a.published || !b.published) return a.published ? -1 : 1;
      return a.published < b.published ? 1 : -1;
    }
    return a.title.localeCompare(b.title, 'en') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}
