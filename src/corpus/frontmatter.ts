// YAML front matter of a Markdown document: the flat `key: value` subset our documents use
// (title, source, published). Anything richer is reported as broken rather than half-read.

export class FrontMatterError extends Error {}

export interface FrontMatter {
  fields: Record<string, string>;
  /** Offset in the file text where the body starts (after the closing `---` line). */
  bodyStart: number;
}

// A UTF-8 byte-order mark may precede the opening line; it stays in the text (offsets index the text as read).
const OPEN = /^\uFEFF?---[ \t]*\r?\n/;

export function parseFrontMatter(text: string): FrontMatter | undefined {
  const open = OPEN.exec(text);
  if (!open) return undefined;
  const close = /^---[ \t]*(\r?\n|$)/m;
  const rest = text.slice(open[0].length);
  const m = close.exec(rest);
  if (!m) throw new FrontMatterError('front matter opened with --- is never closed');
  const block = rest.slice(0, m.index);
  const fields: Record<string, string> = {};
  block.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) throw new FrontMatterError(`front matter line ${i + 2} is not "key: value": ${line.slice(0, 60)}`);
    fields[kv[1].toLowerCase()] = unquote(kv[2].trim(), i + 2);
  });
  return { fields, bodyStart: open[0].length + m.index + m[0].length };
}

function unquote(value: string, line: number): string {
  const q = value[0];
  if (q === '"' || q === "'") {
    if (value.length < 2 || value[value.length - 1] !== q) throw new FrontMatterError(`front matter line ${line} has an unclosed quote`);
    const inner = value.slice(1, -1);
    return q === '"' ? inner.replace(/\\"/g, '"').replace(/\\\\/g, '\\') : inner.replace(/''/g, "'");
  }
  return value.replace(/\s+#.*$/, '');
}
