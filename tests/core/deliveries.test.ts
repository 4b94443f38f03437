// Answered once (R2.4): a delivery is new, a duplicate, or the unfinished work of a process that
// died, which the next delivery takes over with the placeholder it left.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { Deliveries } from '../../src/store/deliveries.js';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('deliveries', () => {
  test('the first delivery is new, the next ones are duplicates, before and after it is done', () => {
    const d = new Deliveries(openDatabase(':memory:'));
    expect(d.claim(['slack', 'Ev1'])).toEqual({ kind: 'new' });
    expect(d.claim(['slack', 'Ev1'])).toMatchObject({ kind: 'duplicate' });
    d.done(['slack', 'Ev1']);
    expect(d.claim(['slack', 'Ev1'])).toMatchObject({ kind: 'duplicate' });
    expect(d.claim(['slack:action', 'Ev1'])).toEqual({ kind: 'new' }); // another source, another id space
  });

  test('a claim another live process holds is a duplicate; one a dead process left is resumed with its placeholder', () => {
    const db = openDatabase(':memory:');
    let alive = true;
    const before = new Deliveries(db, { alive: () => alive });
    const after = new Deliveries(db, { alive: () => alive });
    expect(before.claim(['slack', 'Ev2'])).toEqual({ kind: 'new' });
    before.hold('1712.000100', ['slack', 'Ev2']);
    // The same pid (one process here) counts as alive: fake another process's row.
    db.prepare('UPDATE deliveries SET pid = ? WHERE id = ?').run(process.pid + 100_000, 'Ev2');
    expect(after.claim(['slack', 'Ev2'])).toMatchObject({ kind: 'duplicate' });
    alive = false;
    expect(after.claim(['slack', 'Ev2'])).toEqual({ kind: 'resume', placeholder: '1712.000100' });
    // Taken over once: a third delivery while the new owner answers is a duplicate.
    expect(new Deliveries(db, { alive: () => false }).claim(['slack', 'Ev2'])).toMatchObject({ kind: 'duplicate' });
    after.done(['slack', 'Ev2']);
    expect(new Deliveries(db, { alive: () => false }).claim(['slack', 'Ev2'])).toMatchObject({ kind: 'duplicate' });
  });

  test('a claim whose lease ran out is resumed from any host; a done one never is', () => {
    const db = openDatabase(':memory:');
    const c = clock();
    const first = new Deliveries(db, { now: c.now, leaseMs: 60_000, alive: () => true });
    const second = new Deliveries(db, { now: c.now, leaseMs: 60_000, alive: () => true });
    first.claim(['slack', 'Ev3']);
    first.claim(['slack', 'Ev4']);
    first.done(['slack', 'Ev4']);
    db.prepare("UPDATE deliveries SET host = 'elsewhere'").run();
    c.t += 59_000;
    expect(second.claim(['slack', 'Ev3'])).toMatchObject({ kind: 'duplicate' });
    c.t += 2_000;
    expect(second.claim(['slack', 'Ev3'])).toEqual({ kind: 'resume' });
    expect(second.claim(['slack', 'Ev4'])).toMatchObject({ kind: 'duplicate' });
  });

  test('ids are forgotten after the window, and a redelivery then counts as new', () => {
    const c = clock();
    const d = new Deliveries(openDatabase(':memory:'), { now: c.now, ttlMs: 1000 });
    d.claim(['slack', 'Ev5']);
    d.done(['slack', 'Ev5']);
    c.t += 1001;
    expect(d.claim(['slack', 'Ev5'])).toEqual({ kind: 'new' });
  });

  test('survives a restart: a new process on the same DATA_DIR still knows the id', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'briefbot-deliveries-'));
    const first = openDatabase(dir);
    const d = new Deliveries(first);
    d.claim(['slack', 'EvRestart']);
    d.done(['slack', 'EvRestart']);
    first.close();
    const second = openDatabase(dir);
    expect(new Deliveries(second).claim(['slack', 'EvRestart'])).toMatchObject({ kind: 'duplicate' });
    second.close();
  });

  test('expired rows are pruned', () => {
    const c = clock(0);
    const db = openDatabase(':memory:');
    const d = new Deliveries(db, { ttlMs: 100, now: c.now });
    for (let i = 0; i < 5; i++) d.claim(['slack', `old${i}`]);
    c.t = 1000;
    d.claim(['slack', 'new']);
    expect((db.prepare('SELECT COUNT(*) AS n FROM deliveries').get() as { n: number }).n).toBe(1);
  });
});
