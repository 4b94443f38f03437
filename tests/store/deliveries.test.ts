// Answered once (R2.4), in either database: a delivery is new, a duplicate, or the unfinished work
// of a process that died, which the next delivery takes over with the placeholder it left.
import { expect, test } from 'vitest';
import { eachBackend } from './backends.js';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

eachBackend('deliveries', (backend) => {
  test('the first delivery is new, the next ones are duplicates, before and after it is done', async () => {
    const d = (await backend.open()).deliveries;
    expect(await d.claim(['slack', 'Ev1'])).toEqual({ kind: 'new' });
    expect(await d.claim(['slack', 'Ev1'])).toMatchObject({ kind: 'duplicate' });
    await d.done(['slack', 'Ev1']);
    expect(await d.claim(['slack', 'Ev1'])).toMatchObject({ kind: 'duplicate' });
    expect(await d.claim(['slack:action', 'Ev1'])).toEqual({ kind: 'new' }); // another source, another id space
  });

  test('several keys claim together: the first duplicate decides, and names its source', async () => {
    const d = (await backend.open()).deliveries;
    expect(await d.claim(['slack', 'EvA'], ['slack:message', 'C1:1'])).toEqual({ kind: 'new' });
    // The same message through another event (an app_mention and a message.im).
    expect(await d.claim(['slack', 'EvB'], ['slack:message', 'C1:1'])).toEqual({ kind: 'duplicate', source: 'slack:message' });
    expect(await d.claim(['slack', 'EvA'], ['slack:message', 'C1:2'])).toEqual({ kind: 'duplicate', source: 'slack' });
  });

  test('several keys, one of them left by a dead process: the new keys are claimed and the dead one resumed with its placeholder', async () => {
    let alive = true;
    const before = (await backend.open({ deliveries: { alive: () => alive } })).deliveries;
    const after = (await backend.open({ deliveries: { alive: () => alive } })).deliveries;
    expect(await before.claim(['slack', 'EvM1'], ['slack:message', 'C9:1'])).toEqual({ kind: 'new' });
    await before.hold('1712.000300', ['slack', 'EvM1'], ['slack:message', 'C9:1']);
    await backend.sql('UPDATE deliveries SET pid = ? WHERE id IN (?, ?)', process.pid + 100_000, 'EvM1', 'C9:1');
    // The same message through another event, while its first owner lives: a duplicate.
    expect(await after.claim(['slack', 'EvM2'], ['slack:message', 'C9:1'])).toEqual({ kind: 'duplicate', source: 'slack:message' });
    alive = false;
    expect(await after.claim(['slack', 'EvM3'], ['slack:message', 'C9:1'])).toEqual({ kind: 'resume', placeholder: '1712.000300' });
    // Resumed once: every later delivery of the message, through any event, is a duplicate.
    const third = (await backend.open({ deliveries: { alive: () => false } })).deliveries;
    expect(await third.claim(['slack', 'EvM4'], ['slack:message', 'C9:1'])).toMatchObject({ kind: 'duplicate' });
    expect(await third.claim(['slack', 'EvM3'], ['slack:message', 'C9:1'])).toMatchObject({ kind: 'duplicate', source: 'slack' });
  });

  test('a claim another live process holds is a duplicate; one a dead process left is resumed with its placeholder', async () => {
    let alive = true;
    const before = (await backend.open({ deliveries: { alive: () => alive } })).deliveries;
    const after = (await backend.open({ deliveries: { alive: () => alive } })).deliveries;
    expect(await before.claim(['slack', 'Ev2'])).toEqual({ kind: 'new' });
    await before.hold('1712.000100', ['slack', 'Ev2']);
    // The same pid (one process here) counts as alive: fake another process's row.
    await backend.sql('UPDATE deliveries SET pid = ? WHERE id = ?', process.pid + 100_000, 'Ev2');
    expect(await after.claim(['slack', 'Ev2'])).toMatchObject({ kind: 'duplicate' });
    alive = false;
    expect(await after.claim(['slack', 'Ev2'])).toEqual({ kind: 'resume', placeholder: '1712.000100' });
    // Taken over once: a third delivery while the new owner answers is a duplicate.
    const third = (await backend.open({ deliveries: { alive: () => false } })).deliveries;
    expect(await third.claim(['slack', 'Ev2'])).toMatchObject({ kind: 'duplicate' });
    await after.done(['slack', 'Ev2']);
    expect(await third.claim(['slack', 'Ev2'])).toMatchObject({ kind: 'duplicate' });
  });

  test('a claim whose lease ran out is resumed from any host; a done one never is', async () => {
    const c = clock();
    const first = (await backend.open({ deliveries: { now: c.now, leaseMs: 60_000, alive: () => true } })).deliveries;
    const second = (await backend.open({ deliveries: { now: c.now, leaseMs: 60_000, alive: () => true } })).deliveries;
    await first.claim(['slack', 'Ev3']);
    await first.claim(['slack', 'Ev4']);
    await first.done(['slack', 'Ev4']);
    await backend.sql("UPDATE deliveries SET host = 'elsewhere'");
    c.t += 59_000;
    expect(await second.claim(['slack', 'Ev3'])).toMatchObject({ kind: 'duplicate' });
    c.t += 2_000;
    expect(await second.claim(['slack', 'Ev3'])).toEqual({ kind: 'resume' });
    expect(await second.claim(['slack', 'Ev4'])).toMatchObject({ kind: 'duplicate' });
  });

  test('hold renews the lease: a claim still being answered is not taken over', async () => {
    const c = clock();
    const first = (await backend.open({ deliveries: { now: c.now, leaseMs: 60_000 } })).deliveries;
    const second = (await backend.open({ deliveries: { now: c.now, leaseMs: 60_000 } })).deliveries;
    await first.claim(['slack', 'Ev6']);
    c.t += 50_000;
    await first.hold('1712.000200', ['slack', 'Ev6']);
    await backend.sql("UPDATE deliveries SET host = 'elsewhere'");
    c.t += 50_000;
    expect(await second.claim(['slack', 'Ev6'])).toMatchObject({ kind: 'duplicate' });
    c.t += 11_000;
    expect(await second.claim(['slack', 'Ev6'])).toEqual({ kind: 'resume', placeholder: '1712.000200' });
  });

  test('ids are forgotten after the window, and a redelivery then counts as new', async () => {
    const c = clock();
    const d = (await backend.open({ deliveries: { now: c.now, ttlMs: 1000 } })).deliveries;
    await d.claim(['slack', 'Ev5']);
    await d.done(['slack', 'Ev5']);
    c.t += 1001;
    expect(await d.claim(['slack', 'Ev5'])).toEqual({ kind: 'new' });
  });

  test('survives a restart: a new process on the same database still knows the id', async () => {
    const first = await backend.open();
    await first.deliveries.claim(['slack', 'EvRestart']);
    await first.deliveries.done(['slack', 'EvRestart']);
    await first.close();
    expect(await (await backend.open()).deliveries.claim(['slack', 'EvRestart'])).toMatchObject({ kind: 'duplicate' });
  });

  test('expired rows are pruned', async () => {
    const c = clock(0);
    const d = (await backend.open({ deliveries: { ttlMs: 100, now: c.now } })).deliveries;
    for (let i = 0; i < 5; i++) await d.claim(['slack', `old${i}`]);
    c.t = 1000;
    await d.claim(['slack', 'new']);
    expect(await backend.sql('SELECT id FROM deliveries')).toEqual([{ id: 'new' }]);
  });
});
