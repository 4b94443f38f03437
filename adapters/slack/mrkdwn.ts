// Text crossing the Slack boundary. Inbound, Slack's markup (<@U1>, <!channel>, <url|label>, &amp;)
// becomes plain text. Outbound, source and user text is escaped so `<` never opens a mention and `&`
// never starts an entity: https://api.slack.com/reference/surfaces/formatting#escaping

/** Escapes the three characters Slack documents as control characters, in text we did not write. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack markup -> plain text. The bot's own mention is dropped; others keep a name, not their ping. */
export function slackToPlain(text: string, botUserId?: string): string {
  const plain = text
    .replace(/<([^<>]*)>/g, (_all, inner: string) => {
      const bar = inner.indexOf('|');
      const [target, label] = bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
      if (target.startsWith('@')) {
        if (botUserId && target === `@${botUserId}`) return ' ';
        return label ? `@${label.replace(/^@/, '')}` : target;
      }
      if (target.startsWith('#')) return label ? `#${label}` : target;
      if (target.startsWith('!')) {
        // <!channel>, <!here|here>, <!subteam^S1|@team>, <!date^...|fallback>
        if (label) return label.startsWith('@') || target.startsWith('!date') ? label : `@${label}`;
        return `@${target.slice(1).split('^')[0]}`;
      }
      return label ?? target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  // Line by line, in linear time: /\s*\n\s*/ backtracks quadratically over a long run of
  // whitespace that is not a newline (40,000 × U+3000 took seconds, stalling every other request).
  return plain
    .replace(/[ \t]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * A link given as a command's argument, as Slack sends it (`<https://…>`, `<https://…|label>`, or
 * bare): its address, not the label slackToPlain keeps; undefined unless it is one word.
 */
export function slackLinkTarget(text: string): string | undefined {
  const trimmed = text.trim();
  const link = /^<([^<>|]*)(?:\|[^<>]*)?>$/.exec(trimmed);
  const target = link && !/^[@#!]/.test(link[1]) ? link[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim() : slackToPlain(trimmed);
  return target && !/\s/.test(target) ? target : undefined;
}

/** Cuts plain text to at most `max` characters, on a word boundary when one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Never leave half of a surrogate pair (emoji, rare CJK) at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.8) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/** Escaped mrkdwn for `text`, no longer than `max` characters after escaping. */
export function fitMrkdwn(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  // Escaping can grow text up to five-fold, so cut the plain text until the escaped form fits.
  let budget = max;
  let out = escapeMrkdwn(truncate(text, budget));
  while (out.length > max && budget > 1) {
    budget = Math.max(1, Math.min(budget - 1, Math.floor((budget * max) / out.length)));
    out = escapeMrkdwn(truncate(text, budget));
  }
  return out;
}

/** Slack block quote: every line of `text` prefixed with "> ", content escaped, within `max`. */
export function blockQuote(text: string, max: number): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  // The "> " markers are ours and must stay unescaped, so fit the content first, then mark each line.
  const body = fitMrkdwn(lines.join('\n'), Math.max(1, max - 2 * Math.max(1, lines.length)));
  return body
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}
