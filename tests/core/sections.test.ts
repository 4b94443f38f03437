// How an analysis is organised counts (issue R2.2's held-out behaviours, on a fictional analysis
// of our own): a question restating a section's heading is answered from the section's opening,
// quotes use the room left to carry the specifics that follow a point, a description the aliases
// name ("the Varnian prime minister") is a subject like a typed name, and a question pairing two
// subjects no passage pairs says which is missing.
import { beforeAll, describe, expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { readIntent } from '../../src/answer/intent.js';
import { corpusWith, expectVerifiedAnswer, readCorpusTexts, tempDir } from './helpers.js';

const ANALYSIS = `---
title: "Monitors Return to the Tessaly Dam"
source: "Northgate Water Review"
published: 2026-06-04
---

## A Short Visit

For the first time since the spring floods, monitors from the River Basin Commission have been inside the Tessaly dam complex. The three-person mission spent two days at the site under conditions negotiated with the Varnian government.

## What the Monitors Could Observe

On the crest, the damage was plain. The team photographed cracked spillway gates, a collapsed access bridge and silt piled against the turbine intakes. Water samples were taken at six points downstream.

## The Sediment Quarrel

The lower galleries remained flooded. Varnian engineers said pumping them out would take months and could destabilise the foundations.

The commission does not dispute that the galleries are unsafe. What it questions is who judges when they are safe again. It has proposed that an independent dive team from a neutral country inspect the galleries and report to both sides. The government has declined, saying only its own engineers may enter a structure of national importance.

## Politics in Dorrin

Prime Minister Halvard Emsel told parliament that the visit proved the dam was sound and that no further inspections were needed. Opposition deputies accused him of hiding the true state of the galleries.

## Downstream Towns

The towns of Ravel and Oskey, twenty kilometres downstream, have asked the commission for a flood warning system before the autumn rains.
`;

let briefing: Briefing;
let texts: Map<string, string>;
const verified = (a: Parameters<typeof expectVerifiedAnswer>[0]) => expectVerifiedAnswer(a, texts, 'Monitors Return to the Tessaly Dam');
beforeAll(async () => {
  const dir = corpusWith({ 'tessaly.md': ANALYSIS, 'aliases.txt': 'Emsel, Varnian prime minister, prime minister of Varnia\nVarnia, Varnian, Dorrin\n' });
  texts = readCorpusTexts(dir);
  briefing = await Briefing.open({ corpusDir: dir, dataDir: tempDir('sections') });
});

const quoted = (a: { quotes: { text: string }[] }) => a.quotes.map((q) => q.text).join(' ');

describe('a question restating a section heading', () => {
  test('is answered from the section opening, though it shares no word with the question', async () => {
    const a = await briefing.ask('What did the commission monitors observe when they visited Tessaly?');
    verified(a);
    expect(a.abstained).toBe(false);
    expect(quoted(a)).toContain('cracked spillway gates');
  });
});

describe('quotes use the room they are given', () => {
  test('a point is quoted with the specifics that follow it in its paragraph', async () => {
    const a = await briefing.ask('What is the quarrel over the sediment at Tessaly?');
    verified(a);
    expect(quoted(a)).toMatch(/independent dive team|only its own engineers/);
    expect(quoted(a).length).toBeLessThanOrEqual(1200);
  });
});

describe('two subjects in one question', () => {
  test('a description the aliases name is the subject, and the missing one is named', async () => {
    const a = await briefing.ask("What did the Varnian prime minister say about the flood warning system?");
    verified(a);
    expect(a.coverage).toBe('partial');
    expect(a.missing.join(' ')).toMatch(/flood|warning/i);
  });

  test('a pair the sources do state together is answered', async () => {
    const a = await briefing.ask('What did the Varnian prime minister say about the inspections?');
    verified(a);
    expect(a.coverage).not.toBe('none');
    expect(quoted(a)).toContain('no further inspections were needed');
  });
});

test('"what did X say" asks what was said, not for a kind of thing', () => {
  expect(readIntent("What did Oman's foreign minister say about the Doha round?").category).toBeUndefined();
  expect(readIntent('Which specific nuclear sites were struck?').category).toBe('sites');
});
