// Runs answer-worker.ts from the sources (a checkout without dist/, and the tests): a worker thread
// does not inherit the tsx loader its parent runs under, so it registers tsx itself and hands the
// pool the TypeScript module's handler. A build runs dist/src/workers/answer-worker.js directly.
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport('./answer-worker.ts', import.meta.url);
export default worker.default;
