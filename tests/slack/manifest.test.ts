// The manifest a user pastes must grant exactly what the adapter uses: each scope is tied to the
// Web API methods and events the code calls or listens to.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { BRIEF_COMMAND } from '../../adapters/slack/context.js';

const manifest = readFileSync('adapters/slack/manifest.yml', 'utf8');

/** The "- item" lines of the YAML list under `key:` (this manifest's lists hold plain scalars). */
function list(key: string): string[] {
  const lines = manifest.split('\n');
  const at = lines.findIndex((l) => l.trim() === `${key}:`);
  expect(at, `${key} missing`).toBeGreaterThanOrEqual(0);
  const indent = lines[at].search(/\S/);
  const items: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (line.search(/\S/) <= indent && !line.trim().startsWith('-')) break;
    const m = /^\s*-\s+(\S+)\s*$/.exec(line);
    if (!m) break;
    items.push(m[1]);
  }
  return items;
}

test('bot scopes are exactly those the adapter needs', () => {
  const needed = {
    'app_mentions:read': 'app_mention events',
    'chat:write': 'chat.postMessage, chat.update, chat.postEphemeral',
    commands: BRIEF_COMMAND,
    'files:read': 'files.info and the url_private download of a file shared in a DM (file-share.ts)',
    'im:history': 'message.im events; conversations.replies in DMs',
    'channels:history': 'conversations.replies in public channel threads',
    'groups:history': 'conversations.replies in private channel threads',
    'mpim:history': 'conversations.replies in group DM threads',
  };
  expect(list('bot').sort()).toEqual(Object.keys(needed).sort());
});

test('events, the slash command and interactivity match the listeners', () => {
  expect(list('bot_events').sort()).toEqual(['app_mention', 'message.im']);
  expect(manifest).toContain(`- command: ${BRIEF_COMMAND}\n`);
  expect(manifest).toMatch(/interactivity:\n(?:\s+#.*\n)*\s+is_enabled: true/);
  expect(manifest).toMatch(/^\s+socket_mode_enabled: true$/m);
});
