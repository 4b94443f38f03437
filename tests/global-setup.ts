import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWordVectorCache, cacheFile } from '../src/index/word-vectors.js';
import { LocalWordVectorEmbeddings } from '../src/index/embedder-local.js';

export default function setup(): void {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'briefbot-setup-'));
  const file = cacheFile(scratch);
  if (!existsSync(file)) buildWordVectorCache(file);
  LocalWordVectorEmbeddings.load(scratch); // also caches the common component
}
