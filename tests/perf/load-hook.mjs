// Loader hook for lean-start.test.ts: prints every module URL the process loads.
export async function load(url, context, next) {
  process.stderr.write(`LOADED ${url}\n`);
  return next(url, context);
}
