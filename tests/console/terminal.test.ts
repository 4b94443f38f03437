// In a terminal the chat draws a prompt and echoes what is typed, and log lines are short readable
// text, not JSON (a newcomer's first `briefbot chat` / `npm start`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { runConsoleChat } from '../../adapters/console/commands.js';
import type { BriefingService } from '../../src/service.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

test('interactive: a banner, then a prompt before each question, and the typed question echoed', async () => {
  const briefing = { sources: () => [], topics: () => [] } as unknown as BriefingService;
  const out: string[] = [];
  await runConsoleChat(briefing, { input: Readable.from(['/help\r', '/quit\r']), output: (t) => void out.push(t), interactive: true });
  const screen = out.join('');
  expect(screen).toMatch(/^briefbot: 0 source document\(s\)\./);
  expect(screen.match(/> /g)?.length).toBeGreaterThanOrEqual(2);
  expect(screen).toContain('/help');
});

test('a readable logger writes one short line a record: time, level, message, fields, secrets masked', () => {
  const script = `
    const { createLogger } = await import(${JSON.stringify(path.join(ROOT, 'src/log.ts'))});
    const log = createLogger('info', { readable: true });
    log.info({ file: 'a.md', reason: 'not UTF-8', botToken: 'xoxb-1-2-secret' }, 'corpus file skipped');
    log.debug('not shown at info');
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/^\d\d:\d\d:\d\d INFO corpus file skipped file=a\.md reason="not UTF-8" botToken=\[redacted\]\n$/);
});
