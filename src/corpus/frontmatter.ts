// YAML front matter of a Markdown document (title, source, published, url, added_by, ...), read by
// the `yaml` package: quoting, escapes, colons in titles and comments are YAML's, not a subset of
// our own (whose comment pattern was quadratic on long runs of spaces). Fields are scalars; a list
// or a map where text belongs is reported as broken rather than half-read.
import { LineCounter, parseDocument } from 'yaml';

export class FrontMatterError extends Error {}

export interface FrontMatter {
  fields: Record<string, string>;
  /** Offset in the file text where the body starts (after the closing `---` line). */
  bodyStart: number;
}

// A UTF-8 byte-order mark may precede the opening line; it stays in the text (offsets index the text as read).
const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
/** The closing line, searched line by line (a regular expression over the whole rest is not needed). */
const CLOSE = /^---[ \t]*$/;

export function parseFrontMatter(text: string): FrontMatter | undefined {
  const open = OPEN.exec(text);
  if (!open) return undefined;
  let at = open[0].length;
  let block: string | undefined;
  let bodyStart = text.length;
  while (at <= text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(at, end).replace(/\r$/, '');
    if (CLOSE.test(line)) {
      block = text.slice(open[0].length, at);
      bodyStart = nl < 0 ? text.length : nl + 1;
      break;
    }
    if (nl < 0) break;
    at = nl + 1;
  }
  if (block === undefined) throw new FrontMatterError('front matter opened with --- is never closed');
  return { fields: readFields(block), bodyStart };
}

function readFields(block: string): Record<string, string> {
  // YAML 1.2's core schema: a date stays the text it was written as ("2026-03-10").
  const lines = new LineCounter();
  const doc = parseDocument(block, { version: '1.2', schema: 'core', uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  const problem = doc.errors[0];
  if (problem) {
    // The file's line: the block starts on line 2, after the opening ---.
    const line = lines.linePos(problem.pos[0]).line + 1;
    throw new FrontMatterError(`front matter line ${line} is not valid YAML: ${problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 50 });
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new FrontMatterError('front matter must be "key: value" lines');
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (value === null || value === undefined) fields[key.toLowerCase()] = '';
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key.toLowerCase()] = String(value);
    else throw new FrontMatterError(`front matter field "${key}" must be text, not a ${Array.isArray(value) ? 'list' : 'map'}`);
  }
  return fields;
}
