// Runs ingest-worker.ts from the sources (a checkout without dist/, the tests, bench/): a worker
// thread does not inherit the tsx loader its parent runs under, so it registers tsx itself and
// runs the TypeScript module. A build runs dist/src/index/ingest-worker.js.
import { tsImport } from 'tsx/esm/api';

await tsImport('./ingest-worker.ts', import.meta.url);
