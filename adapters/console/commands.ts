// The commands that print for people in a terminal: `ask` and `sources`. Their words and layout are
// the console's (layout.ts); `--json` prints the outcome itself, with `answer` (the plain
// rendering) added to an Answer, as DESIGN.md documents it.
import { UsageError, lines, openBriefing, type Command } from '../../src/cli.js';
import type { Answer } from '../../src/types.js';
import { answerText, askText, sourcesText } from './layout.js';

/** An Answer as `ask --json` prints it: every field, and `answer`, its plain rendering. */
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
  // An unusable question is the user's mistake: one line on stderr and exit status 2 (the JSON
  // Answer, which carries `error`, still goes to stdout for --json).
  if (a.error) {
    ctx.stderr(`briefbot: ${answerText(a)}\n`);
    if (ctx.flags.has('json')) ctx.stdout(`${JSON.stringify(withText(a))}\n`);
    return 2;
  }
  ctx.stdout(ctx.flags.has('json') ? `${JSON.stringify(withText(a))}\n` : `${askText(a)}\n`);
  return 0;
};

export const sources: Command = async (ctx) => {
  const list = (await openBriefing(ctx)).sources();
  if (ctx.flags.has('json')) ctx.stdout(`${JSON.stringify(list, null, 2)}\n`);
  else ctx.stdout(`${sourcesText(list)}\n`);
  return 0;
};

export const CONSOLE_COMMANDS: Record<string, Command> = { ask, sources };
