// What 40,000 characters of each kind of whitespace cost on the way to an answer (R2.4): the Slack
// text clean-up, the question's normalisation and intent, and the whole ask. Loopback-free: the
// functions themselves, in this process, best of three runs each.
import { slackToPlain } from '../adapters/slack/mrkdwn.js';
import { readIntent } from '../src/answer/intent.js';
import { Briefing } from '../src/briefing.js';
import { normalizeQuestion } from '../src/text/casual.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const KINDS: Record<string, string> = { space: ' ', tab: '\t', newline: '\n', 'no-break space': '\u00a0', 'ideographic space': '\u3000', 'em space': '\u2003', 'zero-width space': '\u200b', 'carriage return': '\r', mixed: ' \u3000\t\u00a0\n' };
const dataDir = mkdtempSync(path.join(tmpdir(), 'briefbot-ws-'));
const briefing = await Briefing.open({ corpusDir: 'corpus', dataDir, warmUp: true });
const best = async (f: () => unknown) => {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await f();
    min = Math.min(min, performance.now() - t);
  }
  return +min.toFixed(2);
};
const rows = [];
for (const [name, ch] of Object.entries(KINDS)) {
  const text = `<@UBOT> Why is${ch.repeat(Math.ceil(40_000 / ch.length))}Oman trusted?`;
  rows.push({
    kind: name,
    slackToPlain_ms: await best(() => slackToPlain(text, 'UBOT')),
    normalize_and_intent_ms: await best(() => readIntent(normalizeQuestion(text).text)),
    ask_ms: await best(() => briefing.ask(slackToPlain(text, 'UBOT'))),
  });
}
console.table(rows);
console.log(JSON.stringify({ worst_ms: Math.max(...rows.map((r) => r.slackToPlain_ms + r.normalize_and_intent_ms + r.ask_ms)), rows }));
rmSync(dataDir, { recursive: true, force: true });
