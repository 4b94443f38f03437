// The claim across real OS processes sharing one SQLite file, or one PostgreSQL database as
// replicas do: no in-process shortcut involved.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { eachBackend } from '../store/backends.js';
import { FakeClock, FakePoster, FakeSource, fakeSleep, memoryLogger, producerOf } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/tick-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Child {
  proc: ChildProcessWithoutNullStreams;
  lines: string[];
  ready: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `location`: the shared DATA_DIR or DATABASE_URL. */
function startChild(location: string, instant: string, mode: 'post' | 'crash', name: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, location, instant, mode, name], { cwd: ROOT });
  const lines: string[] = [];
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += String(d)));
  const ready = new Promise<void>((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += String(d);
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (line === 'ready') resolve();
      }
    });
    proc.on('exit', () => reject(new Error(`${name} exited before ready: ${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { proc, lines, ready, exit };
}

eachBackend('separate processes on one database', (backend) => {
  it('four processes ticking at the same instant post each channel exactly once', async () => {
    const subs = (await backend.open({ subscriptions: { now: () => new Date('2026-03-09T12:00:00Z') } })).subscriptions;
    const channels = Array.from({ length: 12 }, (_, i) => `C${String(i).padStart(2, '0')}`);
    for (const c of channels) await subs.subscribe({ platform: 'slack', channelId: c, time: '08:00', timeZone: 'UTC', createdBy: 'U1' });

    const children = ['p1', 'p2', 'p3', 'p4'].map((n) => startChild(backend.location, '2026-03-10T08:00:00Z', 'post', n));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.proc.stdin.write('go\n');
    const exits = await Promise.all(children.map((c) => c.exit));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0, 0]);

    const posted = children.flatMap((c) => c.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { posted: string; by: string }));
    expect(posted.map((p) => p.posted).sort()).toEqual(channels);
    const rows = await backend.sql('SELECT channel_id, state, claimed_by, message_id FROM digest_sends ORDER BY channel_id');
    expect(rows.map((r) => r.state)).toEqual(channels.map(() => 'sent'));
    for (const p of posted) expect(rows.find((r) => r.channel_id === p.posted)).toMatchObject({ claimed_by: p.by, message_id: `${p.by}-${p.posted}` });
  }, 30_000);

  it('a process killed between claim and post: the day is never posted, and is recorded "unknown"', async () => {
    const clock = new FakeClock('2026-03-09T12:00:00Z');
    const { logger, lines } = memoryLogger();
    const poster = new FakePoster('slack', clock);
    const stores = await backend.open({ subscriptions: { now: clock.now }, claimant: 'survivor' });
    const survivor = new DigestScheduler({ stores, producer: producerOf(new FakeSource()), posters: [poster], logger, now: clock.now, sleep: fakeSleep(clock) });
    await survivor.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });

    const victim = startChild(backend.location, '2026-03-10T08:00:00Z', 'crash', 'victim');
    await victim.ready;
    victim.proc.stdin.write('go\n');
    expect(await victim.exit).toEqual({ code: null, signal: 'SIGKILL' });
    const key = { platform: 'slack', channelId: 'C1', localDate: '2026-03-10' };
    expect(await survivor.sends.get(key)).toMatchObject({ state: 'claimed', claimedBy: 'victim', attempts: 0 });

    // The survivor restarts at once (well within the 6 h catch-up window) and ticks all day.
    for (let t = Date.parse('2026-03-10T08:01:00Z'); t < Date.parse('2026-03-10T20:00:00Z'); t += 5 * 60_000) {
      clock.set(new Date(t));
      await survivor.tick();
    }
    expect(poster.attempts).toEqual([]);
    expect(await survivor.sends.get(key)).toMatchObject({ state: 'unknown', claimedBy: 'victim' });
    expect(lines.filter((l) => /abandoned between claim and post/.test(l.msg))).toMatchObject([{ channel: 'C1', claimedBy: 'victim' }]);
  }, 30_000);
});
