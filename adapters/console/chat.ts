// The console edge: a readline chat in a terminal, or one answer per line when stdin is piped.
// Follow-ups work as in a chat thread: the previous question travels along as history.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { BriefingService } from '../../src/service.js';
import { consoleAnswer, sourcesText, topicText } from './layout.js';

export interface ConsoleOptions {
  input: NodeJS.ReadableStream;
  output: (text: string) => void;
  interactive: boolean;
}

const HELP = `Ask anything about the US–Iran talks; answers quote the sources word for word.
Commands: /topics  /topic ID  /sources (newest first)  /new (forget the conversation)  /quit`;

export async function runConsoleChat(briefing: BriefingService, opts: ConsoleOptions): Promise<number> {
  const out = opts.output;
  // In a terminal readline needs somewhere to draw the prompt and echo what is typed (stdin is in
  // raw mode then); piped input gets neither.
  const terminal = opts.interactive ? new Writable({
        write(chunk, _encoding, done) {
          out(String(chunk));
          done();
        },
      }) : undefined;
  const rl = createInterface({ input: opts.input, output: terminal, terminal: opts.interactive, crlfDelay: Infinity });
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
      out(t ? `\n${topicText(t)}\n` : 'Unknown topic; /topics lists them.\n');
    } else if (line === '/sources') out(`${sourcesText(briefing.sources())}\n`);
    else {
      const a = await briefing.ask(line, { history });
      out(`\n${consoleAnswer(a)}\n`);
      if (!a.error) history = [...history, line].slice(-3);
    }
    if (opts.interactive) rl.prompt();
  }
  rl.close();
  return 0;
}
