// What extraction makes of a page, a PDF or a file: the document a corpus file is written from
// (ExtractedDocument), and what each format's reader hands back on the way (Draft). Apart from
// extract.ts so that the readers, which extract.ts calls, can name them without an import circle.

export interface ExtractedDocument {
  /** Never empty: falls back to the first heading, then the file name or URL path. */
  title: string;
  /** The outlet; else the URL's host without www. */
  source?: string;
  /** ISO YYYY-MM-DD. */
  published?: string;
  /** The canonical URL when known, else the fetched one. */
  url?: string;
  /** The first section may have no heading (the lead). */
  sections: { heading?: string; paragraphs: string[] }[];
}

export interface Draft {
  title?: string;
  source?: string;
  /** Candidate publication dates as written, best first; the first that reads as a day wins. */
  dates: string[];
  url?: string;
  sections: ExtractedDocument['sections'];
}
