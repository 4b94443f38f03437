// The console edge: a readline chat in a terminal, or one answer per line when stdin is piped.
// Follow-ups work as in a chat thread: the previous question travels along as history.
import { createInterface } from 'node:readline';
import type { BriefingService } from '../../src/service.js';
import type { Answer } from '../../src/types.js';
import { quoteAttribution, sourceListByline } from '../shared/attribution.js';
import { coverageNote } from '../shared/coverage.js';

export interface ConsoleOptions {
  input: NodeJS.ReadableStream;
  output: (text: string) => void;
  interactive: boolean;
}

const HELP = `Ask anything about the US–Iran talks; answers quote the sources word for word.
Commands: /topics  /topic ID  /sources (newest first)  /new (forget the conversation)  /quit`;

export function renderConsoleAnswer(a: Answer): string {
  // Last, like the Slack and Discord footers: `answer` already opens with the engine's lead.
  const note = coverageNote(a);
  return note ? `\n${a.answer}\n\n(${note})\n` : `\n${a.answer}\n`;
}

export async function runConsoleChat(briefing: BriefingService, opts: ConsoleOptions): Promise<number> {
  const out = opts.output;
  const rl = createInterface({ input: opts.input, terminal: opts.interactive, crlfDelay: Infinity });
  if (opts.interactive) {
    out(`briefbot: ${briefing.sources().length} source document(s). ${HELP}\n`);
    rl.setPrompt('\n> ');
    rl.prompt();
  }
  let history: string[] = [];
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (!line) {
      if (opts.interactive) rl.prompt();
      continue;
    }
    if (line === '/help') out(`${HELP}\n`);
    else if (line === '/new') {
      history = [];
      out('Starting a new conversation.\n');
    } else if (line === '/topics') out(briefing.topics().map((t) => `  ${t.id.padEnd(11)} ${t.label}: ${t.description}`).join('\n') + '\n');
    else if (line.startsWith('/topic ')) {
      const t = briefing.topic(line.slice(7).trim());
      out(t ? `\n${t.answer}\n\n${t.quotes.map((q) => `“${q.text}”\n  — ${quoteAttribution(q, t.titles)}`).join('\n\n')}\n` : 'Unknown topic; /topics lists them.\n');
    } else if (line === '/sources') out(briefing.sources().map((s) => `  ${s.title} — ${sourceListByline(s)} (${s.id})`).join('\n') + '\n');
    else {
      const a = await briefing.ask(line, { history });
      out(renderConsoleAnswer(a));
      if (!a.error) history = [...history, line].slice(-3);
    }
    if (opts.interactive) rl.prompt();
  }
  rl.close();
  return 0;
}
