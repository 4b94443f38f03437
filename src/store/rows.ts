// Reading a row the same from either database: SQLite hands back the TEXT and INTEGER the stores
// write (ISO times, epoch milliseconds), PostgreSQL's timestamptz arrives as a Date (pg-types).

/** An ISO 8601 string, as the stores' records carry times. */
export const iso = (value: string | Date): string => (typeof value === 'string' ? value : value.toISOString());

/** Milliseconds since the epoch. */
export const millis = (value: number | Date): number => (typeof value === 'number' ? value : value.getTime());
