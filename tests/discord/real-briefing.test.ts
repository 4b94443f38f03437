// End to end on the real engine: Briefing.open on the project's corpus/, the real discord.js Client,
// the loopback fake Discord. Checks that what reaches Discord is verbatim source text, labelled.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerCommands } from '../../adapters/discord/register.js';
import { CUT_MARK, LIMITS } from '../../adapters/discord/limits.js';
import { Briefing } from '../../src/briefing.js';
import type { BriefingService } from '../../src/service.js';
import type { Answer, Quote } from '../../src/types.js';
import { DATED_DOCS, datedCorpus } from '../core/helpers.js';
import { embedTotal, messageBodies, privately, question, startHarness, topicOption, type Harness } from './helpers.js';
import { DISCORD_DIALECT } from '../../adapters/discord/render.js';
import { answerLead, topicCard } from '../../adapters/shared/card.js';
import { digestTitle } from '../../adapters/shared/digest-card.js';

const CORPUS = path.resolve('corpus');
const EPHEMERAL = 64;
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const unquote = (value: string) => value.replace(/^> /gm, '');
const uncut = (s: string) => (s.endsWith(CUT_MARK) ? s.slice(0, -CUT_MARK.length) : s);

let briefing: Briefing;
const documentText = new Map<string, string>();

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'briefbot-discord-e2e-'));
  briefing = await Briefing.open({ corpusDir: CORPUS, dataDir });
  for (const file of readdirSync(CORPUS).filter((f) => /\.(md|txt)$/.test(f))) documentText.set(file, readFileSync(path.join(CORPUS, file), 'utf8'));
}, 180_000);

/** Every quote field's text appears verbatim in some corpus document. */
function expectVerbatim(fields: { value: string }[]): void {
  for (const f of fields) {
    const text = uncut(unquote(f.value));
    expect([...documentText.values()].some((doc) => doc.includes(text))).toBe(true);
  }
}

describe('slash commands on the real corpus', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(briefing);
  });
  afterAll(async () => h?.stop());

  test('/ask: verbatim quotes labelled with outlet, date and section, sources in the footer', async () => {
    const answer = await briefing.ask('What role does Oman play?');
    expect(answer.quotes.length).toBeGreaterThan(0);
    const c = h.command('ask', [question('What role does Oman play?')]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.flags ?? 0).toBe(0);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const embed = data.embeds[0];
    expect(embed.description).toBe(answerLead(answer, DISCORD_DIALECT));
    expect(embed.fields.map((f: any) => unquote(f.value))).toEqual(answer.quotes.map((q) => q.text));
    answer.quotes.forEach((q, i) => {
      // The shipped analysis's front matter: its outlet, and 2026-02-09 as "9 Feb 2026".
      expect(q).toMatchObject({ source: 'Original analysis inspired by Muhanad Seloom from Al Jazeera', published: '2026-02-09' });
      expect(embed.fields[i].name).toBe(`[${i + 1}] Original analysis inspired by Muhanad Seloom from Al Jazeera, 9 Feb 2026 · ${q.section}`);
      expect(documentText.get(q.document)!.slice(q.start, q.end)).toBe(q.text);
    });
    expect(embed.footer.text).toBe(`Quoted word for word from the sources. · Source: ${answer.titles[answer.quotes[0].document]}`);
  });

  test('/ask private:true on the real engine is ephemeral', async () => {
    const c = h.command('ask', [question('Why do Washington and Tehran distrust each other?'), privately(true)]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.embeds[0].fields.length).toBeGreaterThan(0);
    expectVerbatim(data.embeds[0].fields);
  });

  test('/brief topic: for every topic, the passages quoted verbatim', async () => {
    for (const topic of briefing.topics()) {
      const expected = briefing.topic(topic.id)!;
      const c = h.command('brief', [topicOption(topic.id)]);
      await c.done;
      const bodies = messageBodies(c.requests());
      const embed = bodies[0].embeds[0];
      expect(embed.title).toBe(`Briefing: ${topic.label}`);
      expect(embed.description).toBe(topicCard(expected).lead);
      const fields = bodies.flatMap((b) => b.embeds[0].fields ?? []);
      expectVerbatim(fields);
      expect(fields.length).toBeGreaterThanOrEqual(expected.quotes.length);
    }
  });

  test('/brief without a topic: today’s digest, one short quote per covered topic', async () => {
    const c = h.command('brief');
    await c.done;
    const [data] = messageBodies(c.requests());
    const date = data.embeds[0].title.match(/, \w+ (\d+ \w+ \d{4})$/)![1];
    const digest = await briefing.digest({ date: new Date(`${date} UTC`).toISOString().slice(0, 10) });
    expect(data.embeds[0].title).toBe(digestTitle(digest.date));
    const fields = data.embeds.flatMap((e: any) => e.fields ?? []);
    expect(fields.map((f: any) => unquote(f.value))).toEqual([...digest.points.map((p) => p.quote.text), ...digest.indicators.map((q) => q.text)]);
    expect(fields.slice(0, digest.points.length).map((f: any) => f.name.split(' — ')[0])).toEqual(digest.points.map((p) => p.topic.label));
    for (const f of fields) expect(f.name).toContain('Original analysis inspired by Muhanad Seloom from Al Jazeera, 9 Feb 2026 · ');
  });

  test('/sources: every document with title, outlet and date', async () => {
    const c = h.command('sources');
    await c.done;
    const [data] = messageBodies(c.requests());
    const sources = briefing.sources();
    expect(data.embeds[0].fields.map((f: any) => f.name)).toEqual(sources.map((s) => s.title));
    expect(data.embeds[0].fields[0].value).toMatch(/^Original analysis inspired by Muhanad Seloom from Al Jazeera, 9 Feb 2026\nSections: /);
  });

  test('bad input through the real engine: empty and wordless questions get a private, polite answer', async () => {
    for (const [q, start] of [
      ['   ', 'Please ask a question'],
      ['?!?', 'I could not find any words'],
    ]) {
      const c = h.command('ask', [question(q)]);
      await c.done;
      const [data] = messageBodies(c.requests());
      expect(data.content.startsWith(start)).toBe(true);
      expect(data.flags).toBe(EPHEMERAL);
      expect(data.allowed_mentions).toEqual({ parse: [] });
    }
  });

  test('@everyone and role mentions in a question never ping', async () => {
    const c = h.command('ask', [question('@everyone @here <@&123456789012345678> what are the sanctions?')]);
    await c.done;
    const bodies = messageBodies(c.requests());
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) {
      expect(b.allowed_mentions).toEqual({ parse: [] });
      expect(b.content ?? '').not.toContain('@everyone');
    }
  });

  test('registration offers the real topics as /brief choices', async () => {
    await registerCommands({ token: 't', applicationId: h.fake.applicationId, apiUrl: h.fake.apiUrl }, { guildId: '300000000000000003', topics: briefing.topics() });
    const put = h.fake.requests.filter((r) => r.method === 'PUT').at(-1)!;
    const choices = put.body[1].options[0].choices;
    expect(choices).toEqual(briefing.topics().map((t) => ({ name: t.label, value: t.id })));
  });
});

describe('on analyses from several outlets and dates', () => {
  const { gulf, enrichment, notes } = DATED_DOCS;
  let h: Harness;
  beforeAll(async () => {
    const dated = await Briefing.open({ corpusDir: datedCorpus(), dataDir: mkdtempSync(path.join(tmpdir(), 'briefbot-discord-dated-')) });
    h = await startHarness(dated);
  }, 180_000);
  afterAll(async () => h?.stop());

  test('/sources: newest first, undated last, each with its outlet and date', async () => {
    const c = h.command('sources');
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.embeds[0].title).toBe('Sources (3 documents, newest first)');
    expect(data.embeds[0].fields.map((f: any) => [f.name, f.value.split('\n')[0]])).toEqual([
      [gulf.title, 'Tidewater Gulf Monitor, 10 Mar 2026'],
      [enrichment.title, 'Caspian Policy Review, 20 Feb 2026'],
      [notes.title, 'outlet unknown, undated'],
    ]);
  });

  test.each(Object.values(DATED_DOCS))('/ask: a quote from $id is labelled with its outlet and date', async (doc) => {
    const c = h.command('ask', [question(doc.question)]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.embeds[0].fields[0].name).toBe(`[1] ${doc.shown} · ${doc.section}`);
  });
});

describe('a slow real answer', () => {
  let h: Harness;
  let release: () => void = () => undefined;
  beforeAll(async () => {
    // The real answer, held back until the test has seen the deferral: no clock involved.
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: BriefingService = { ...wrap(briefing), ask: async (q, o) => gate.then(() => briefing.ask(q, o)) };
    h = await startHarness(slow, { replyDeadlineMs: 5 });
  });
  afterAll(async () => h?.stop());

  test('takes the defer-then-edit path and the edit carries the real answer', async () => {
    const expected = await briefing.ask('What sanctions were announced?');
    const c = h.command('ask', [question('What sanctions were announced?')]);
    const defer = await h.fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${c.id}/`));
    expect(defer.body).toEqual({ type: 5, data: { flags: 0 } });
    release();
    expect(await c.done).toMatchObject({ ok: true, deferred: true });
    const edit = c.requests().find((r) => r.method === 'PATCH')!;
    expect(edit.path).toBe(`/api/v10/webhooks/${h.fake.applicationId}/${c.token}/messages/@original`);
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    expect(edit.body.embeds[0].description).toBe(answerLead(expected, DISCORD_DIALECT));
    expect(edit.body.embeds[0].fields.map((f: any) => unquote(f.value))).toEqual(expected.quotes.map((q) => q.text));
  });
});

describe('a very long answer built from real quotes', () => {
  /** Every topic's passages plus each whole section of every document: real, verbatim, far over every limit. */
  function hugeAnswer(q: string): Answer {
    const quotes: Quote[] = briefing.topics().flatMap((t) => briefing.topic(t.id)?.quotes ?? []);
    for (const [id, text] of documentText) {
      const doc = briefing.index.byId.get(id);
      for (const s of doc?.sections ?? []) quotes.push({ text: text.slice(s.start, s.end).trim(), document: id, section: s.title, start: s.start, end: s.end, source: doc!.source, published: doc!.published });
    }
    const titles = Object.fromEntries(briefing.sources().map((s) => [s.id, s.title]));
    return { question: q, abstained: false, coverage: 'answered', missing: [], conflict: false, concurring: 0, quotes, ms: 1, mode: 'offline', droppedQuotes: 0, titles };
  }
  let h: Harness;
  beforeAll(async () => {
    const huge: BriefingService = { ...wrap(briefing), ask: async (q) => hugeAnswer(q) };
    h = await startHarness(huge);
  });
  afterAll(async () => h?.stop());

  test('fits Discord: split across follow-ups at sentence boundaries, each quote complete and marked where split', async () => {
    const expected = hugeAnswer('Everything');
    const c = h.command('ask', [question('Everything')]);
    const result = await c.done;
    expect(result.ok).toBe(true);
    const bodies = messageBodies(c.requests());
    expect(bodies.length).toBe(result.messages);
    expect(bodies.length).toBeGreaterThan(1);
    for (const b of bodies) {
      expect(b.allowed_mentions).toEqual({ parse: [] });
      const [e] = b.embeds;
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      expect((e.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
      expect(embedTotal(e)).toBeLessThanOrEqual(LIMITS.embedTotal);
    }
    const fields = bodies.flatMap((b) => b.embeds[0].fields ?? []);
    // Capped at 10 messages: when capped the last message says so; otherwise every quote is complete.
    const capped = bodies.at(-1).content?.startsWith('Showing 10 of');
    const shown = capped ? expected.quotes.slice(0, Math.max(0, Number(fields.at(-1).name.match(/^\[(\d+)\]/)![1]) - 1)) : expected.quotes;
    expect(shown.length).toBeGreaterThan(5);
    shown.forEach((q, i) => {
      const parts = fields.filter((f: any) => f.name.startsWith(`[${i + 1}] `));
      if (parts.length > 1) parts.forEach((f: any, j: number) => expect(f.name.endsWith(`(part ${j + 1} of ${parts.length})`)).toBe(true));
      expect(squash(parts.map((f: any) => uncut(unquote(f.value))).join(' '))).toBe(squash(q.text));
    });
  });
});

/** A BriefingService that forwards to the real one (class methods need their `this`). */
function wrap(b: Briefing): BriefingService {
  return {
    ask: (q, o) => b.ask(q, o),
    topics: () => b.topics(),
    topic: (id) => b.topic(id),
    sources: () => b.sources(),
    documentHashes: () => b.documentHashes(),
    digest: (o) => b.digest(o),
  };
}
