// Runs answer-worker.ts from the sources (a checkout without dist/, and the tests): a worker thread
// does not inherit the tsx loader its parent runs under, so it registers tsx itself and hands the
// pool the TypeScript module's handler. A build runs dist/src/workers/answer-worker.js directly.
import { setPriority } from 'node:os';
import { tsImport } from 'tsx/esm/api';

// Loading tsx and compiling the engine is seconds of CPU: at the priority answer-worker.ts gives a
// building thread (BUILD_THREAD_NICENESS), not the event loop's, which a new thread starts with.
if (process.platform === 'linux') {
  try {
    setPriority(19);
  } catch {
    // Not permitted: the thread loads at the priority it has.
  }
}
const worker = await tsImport('./answer-worker.ts', import.meta.url);
export default worker.default;
