#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through the "prepare" script). From a
// checkout whose dist/ is missing or older than the sources, it falls back to tsx so a developer
// never runs stale code.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'adapters', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let entry = compiled;
if (!existsSync(compiled) || (existsSync(join(root, 'src')) && newestMtime(join(root, 'src')) > statSync(compiled).mtimeMs) || newestMtime(join(root, 'adapters')) > statSync(compiled).mtimeMs) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'adapters', 'main.ts');
}
const { main } = await import(pathToFileURL(entry).href);
main();
