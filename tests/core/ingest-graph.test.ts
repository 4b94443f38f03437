// The vector graph a cold ingest builds on its own thread (graph-builder.ts) is the graph
// HnswGraph builds on the main thread from the same vectors in the same order: the same file, byte
// for byte, so the same neighbours for every question.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { seeded } from '../../bench/corpora.js';
import { GraphBuilder } from '../../src/index/graph-builder.js';
import { HnswGraph } from '../../src/index/hnsw-graph.js';
import { tempDir } from './helpers.js';

const DIMS = 100;

function vectors(n: number, seed: number): Float32Array {
  const random = seeded(seed);
  return Float32Array.from({ length: n * DIMS }, () => random() * 2 - 1);
}

describe('the graph thread builds the main thread graph', () => {
  test.each([5, 16, 17, 700])('%i points, added in uneven batches', async (n) => {
    const dir = tempDir('graph');
    const data = vectors(n, n);
    const here = HnswGraph.create(DIMS, n);
    for (let i = 0; i < n; i++) here.add(Array.from(data.subarray(i * DIMS, (i + 1) * DIMS)), i);
    here.write(path.join(dir, 'here.index'));

    const builder = new GraphBuilder(DIMS);
    // Documents of 1, 2, 3... chunks, as ingest hands them over.
    for (let at = 0, size = 1; at < n; at += size, size++) builder.add(data.slice(at * DIMS, Math.min(n, at + size) * DIMS));
    const there = await builder.finish(path.join(dir, 'there.index'));

    expect(readFileSync(path.join(dir, 'there.index')).equals(readFileSync(path.join(dir, 'here.index')))).toBe(true);
    expect(there.count).toBe(n);
    const q = Array.from(vectors(1, 99));
    expect(there.search(q, 10)).toEqual(here.search(q, 10));
  });

  test('a builder that is cancelled leaves nothing running', async () => {
    const builder = new GraphBuilder(DIMS);
    builder.add(vectors(3, 1));
    await builder.cancel();
  });
});
