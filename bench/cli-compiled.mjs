// bin/briefbot.js without its freshness check: always the compiled CLI in dist/. Other work in the
// tree keeps touching the sources, which would send bin/ to its tsx fallback mid-benchmark; the
// check itself (a walk of src/ and adapters/) is timed separately in run.ts.
const { main } = await import('../dist/adapters/main.js');
main();
