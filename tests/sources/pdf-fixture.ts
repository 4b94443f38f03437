// A minimal valid PDF, written byte by byte: one Helvetica text line per entry at the position and
// size given, so a test controls exactly the layout the extractor has to read (running headers,
// page numbers, paragraph gaps, hyphenated line ends, headings in larger type).

export interface PdfLine {
  text: string;
  /** Baseline in points from the bottom of a US Letter page (792 high). */
  y: number;
  /** Type size in points (default 11). */
  size?: number;
  /** Left edge in points (default 72). */
  x?: number;
  bold?: boolean;
}

export interface PdfInfo {
  Title?: string;
  CreationDate?: string;
}

/** PDF string literal: backslash and parentheses escaped; the text must be Latin-1 (WinAnsi). */
function literal(s: string): string {
  return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

export function pdfBytes(pages: PdfLine[][], info: PdfInfo = {}): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // the page tree, filled in once the pages have numbers
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const lines of pages) {
    const content = lines.map((l) => `BT /${l.bold ? 'F2' : 'F1'} ${l.size ?? 11} Tf ${l.x ?? 72} ${l.y} Td ${literal(l.text)} Tj ET`).join('\n');
    const stream = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${stream} 0 R >>`));
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const infoEntries = Object.entries(info).map(([k, v]) => `/${k} ${literal(v)}`);
  const infoRef = infoEntries.length ? add(`<< ${infoEntries.join(' ')} >>`) : 0;

  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${infoRef ? ` /Info ${infoRef} 0 R` : ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * Body lines set from `top` down at `leading` points apart; an empty string leaves a blank line
 * (a paragraph gap); `{ heading }` is a line in larger type with a blank line before it.
 */
export function typeset(top: number, entries: (string | { heading: string; size?: number })[], leading = 14): PdfLine[] {
  const lines: PdfLine[] = [];
  let y = top;
  for (const e of entries) {
    if (typeof e === 'string') {
      if (e) lines.push({ text: e, y });
      y -= leading;
    } else {
      y -= leading;
      lines.push({ text: e.heading, y, size: e.size ?? 14, bold: true });
      y -= leading * 1.5;
    }
  }
  return lines;
}
