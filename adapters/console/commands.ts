// The commands that print for people in a terminal: `ask`, `sources`, and `chat`, a readline chat
// (one answer per line when stdin is piped) whose follow-ups carry the previous questions along as
// history. `--json` prints the outcome itself, with `answer` (the plain rendering) added to an Answer (DESIGN.md).
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError, lines, openBriefing, type Command } from '../../src/cli.js';
import type { BriefingService } from '../../src/service.js';
import type { Answer } from '../../src/types.js';
import { answerText, askText, consoleAnswer, sourcesText, topicText } from './layout.js';

function withText(a: Answer): Answer & { answer: string } {
  return { ...a, answer: answerText(a) };
}

export const ask: Command = async (ctx) => {
  if (ctx.flags.has('jsonl')) {
    const b = await openBriefing(ctx, { warmUp: true });
    for await (const line of lines(ctx.stdin)) {
      if (!line.trim()) continue;
      let req: { id?: unknown; question?: unknown };
      try {
        const parsed: unknown = JSON.parse(line);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TypeError('not an object');
        req = parsed as typeof req;
      } catch {
        // One bad line gets an error object in its place; the lines after it are still answered.
        ctx.stdout(`${JSON.stringify({ error: 'invalid JSON line', line: line.slice(0, 200) })}\n`);
        continue;
      }
      const a = await b.ask(typeof req.question === 'string' ? req.question : '');
      ctx.stdout(`${JSON.stringify({ id: req.id, ...withText(a) })}\n`);
    }
    return 0;
  }
  const question = ctx.args.join(' ');
  if (!question.trim()) throw new UsageError('ask needs a question, e.g. briefbot ask "Why is Oman trusted as a mediator?" (or --jsonl to read stdin)');
  const b = await openBriefing(ctx);
  const a = await b.ask(question);
  // An unusable question is the user's mistake: one line on stderr, exit status 2 (--json still prints it).
  if (a.error) ctx.stderr(`briefbot: ${answerText(a)}\n`);
  if (ctx.flags.has('json')) ctx.stdout(`${JSON.stringify(withText(a))}\n`);
  else if (!a.error) ctx.stdout(`${askText(a)}\n`);
  return a.error ? 2 : 0;
};

export const sources: Command = async (ctx) => {
  const list = (await openBriefing(ctx)).sources();
  if (ctx.flags.has('json')) ctx.stdout(`${JSON.stringify(list, null, 2)}\n`);
  else ctx.stdout(`${sourcesText(list)}\n`);
  return 0;
};

export interface ConsoleOptions {
  input: NodeJS.ReadableStream;
  output: (text: string) => void;
  interactive: boolean;
}

const HELP = `Ask anything about the US–Iran talks; answers quote the sources word for word.
Commands: /topics  /topic ID  /sources (newest first)  /new (forget the conversation)  /quit`;

export async function runConsoleChat(briefing: BriefingService, opts: ConsoleOptions): Promise<number> {
  const out = opts.output;
  // In a terminal readline needs somewhere to draw the prompt and echo input (stdin is raw); a pipe needs neither.
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
    if (line === '/help') out(`${HELP}\n`);
    else if (line === '/new') {
      history = [];
      out('Starting a new conversation.\n');
    } else if (line === '/topics') out(briefing.topics().map((t) => `  ${t.id.padEnd(11)} ${t.label}: ${t.description}`).join('\n') + '\n');
    else if (line.startsWith('/topic ')) {
      const t = briefing.topic(line.slice(7).trim());
      out(t ? `\n${topicText(t)}\n` : 'Unknown topic; /topics lists them.\n');
    } else if (line === '/sources') out(`${sourcesText(briefing.sources())}\n`);
    else if (line) {
      const a = await briefing.ask(line, { history });
      out(`\n${consoleAnswer(a)}\n`);
      if (!a.error) history = [...history, line].slice(-3);
    }
    if (opts.interactive) rl.prompt();
  }
  rl.close();
  return 0;
}

export const chat: Command = async (ctx) => {
  const b = await openBriefing(ctx, { warmUp: true });
  return runConsoleChat(b, { input: ctx.stdin, output: ctx.stdout, interactive: Boolean((ctx.stdin as NodeJS.ReadStream).isTTY) });
};

export const CONSOLE_COMMANDS: Record<string, Command> = { ask, sources, chat };
