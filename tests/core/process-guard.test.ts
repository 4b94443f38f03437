// What escapes every handler is logged and the process keeps serving (R2.4: a signed body of
// `null` once killed the bot from inside Bolt's receiver).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from './helpers.js';

test('an unhandled rejection and an uncaught exception are logged, and the process goes on', () => {
  const script = `
    import { guardProcess } from ${JSON.stringify(path.join(ROOT, 'adapters', 'process-guard.ts'))};
    const logged = [];
    guardProcess({ error: (obj, msg) => logged.push(msg) });
    Promise.reject(new Error('lost promise'));
    setTimeout(() => { throw new Error('thrown in a timer'); }, 1);
    setTimeout(() => console.log(JSON.stringify(logged)), 50);
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout.trim())).toEqual(['unhandled promise rejection; still serving', 'uncaught exception; still serving']);
});
